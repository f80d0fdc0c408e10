/**
 * The keychain on Linux: the freedesktop Secret Service (gnome-keyring,
 * KeePassXC, KWallet's bridge) spoken to directly over the D-Bus session bus.
 *
 * Entries are found by the attributes `service` and `account` alone, like
 * `secret-tool lookup service S account A`, so entries written by secret-tool,
 * keytar and this plugin are the same entries. New entries get exactly keytar's
 * attributes (plus xdg:schema org.freedesktop.Secret.Generic) and label
 * `service/account`. Every step is a probe that can tell "no bus", "no
 * provider", "locked" and "missing" apart, and nothing here enumerates a locked
 * collection the way keytar's findCredentials does (that crashes Node).
 */
import type { KeychainBackend } from '../backend.js'
import {
  describeEntry,
  entryExists,
  entryMissing,
  KeychainError,
  keychainLocked,
  noProvider,
} from '../errors.js'
import { DBusCallError, dictFromPairs, type MethodCall, SessionBus, variantValue } from './bus.js'
import {
  DH_ALGORITHM,
  plainTransfer,
  type SecretStruct,
  startDhNegotiation,
  type Transfer,
} from './transfer.js'

const SERVICE_NAME = 'org.freedesktop.secrets'
const SERVICE_PATH = '/org/freedesktop/secrets'
const SERVICE_IFACE = 'org.freedesktop.Secret.Service'
const COLLECTION_IFACE = 'org.freedesktop.Secret.Collection'
const ITEM_IFACE = 'org.freedesktop.Secret.Item'
const PROPS_IFACE = 'org.freedesktop.DBus.Properties'
const GENERIC_SCHEMA = 'org.freedesktop.Secret.Generic'

interface Matches {
  unlocked: string[]
  locked: string[]
}

export class SecretServiceBackend implements KeychainBackend {
  readonly name = 'secret-service'
  private session: { path: string; transfer: Transfer } | undefined

  private constructor(private readonly bus: SessionBus) {}

  /** Connects and checks that a provider owns (or can be started for) org.freedesktop.secrets. */
  static async open(
    options: { env?: NodeJS.ProcessEnv; callTimeoutMs?: number } = {},
  ): Promise<SecretServiceBackend> {
    const bus = await SessionBus.connect({ env: options.env, callTimeoutMs: options.callTimeoutMs ?? 1500 })
    try {
      const busCall = (member: string, signature?: string, body?: unknown[]): MethodCall => ({
        destination: 'org.freedesktop.DBus',
        path: '/org/freedesktop/DBus',
        interface: 'org.freedesktop.DBus',
        member,
        signature,
        body,
      })
      const [owned] = await bus.call(busCall('NameHasOwner', 's', [SERVICE_NAME]))
      if (!owned) {
        const [activatable] = await bus.call(busCall('ListActivatableNames'))
        if (!(activatable as string[]).includes(SERVICE_NAME)) throw noProvider()
      }
    } catch (err) {
      bus.close()
      throw err
    }
    return new SecretServiceBackend(bus)
  }

  async get(service: string, account: string): Promise<Buffer> {
    const matches = await this.search({ service, account })
    const item = matches.unlocked[0]
    if (item === undefined) throw await this.notFound(service, account, matches)
    const session = await this.openSession()
    const [secret] = await this.call({
      destination: SERVICE_NAME,
      path: item,
      interface: ITEM_IFACE,
      member: 'GetSecret',
      signature: 'o',
      body: [session.path],
    })
    return session.transfer.decode(secret as SecretStruct)
  }

  async set(
    service: string,
    account: string,
    readValue: () => Promise<Buffer>,
    options: { overwrite: boolean },
  ): Promise<void> {
    const matches = await this.search({ service, account })
    if (matches.unlocked.length + matches.locked.length > 0 && !options.overwrite) {
      throw entryExists(service, account)
    }
    const existing = matches.unlocked[0]
    if (existing === undefined && matches.locked.length > 0) {
      throw keychainLocked(`the entry for ${describeEntry(service, account)} is in a locked collection`)
    }
    const collection = existing === undefined ? await this.defaultCollection() : undefined
    const session = await this.openSession()
    const value = await readValue()
    const secret = session.transfer.encode(session.path, value)
    try {
      if (existing !== undefined) {
        // Replace the value in place: keeps whatever attributes and label the entry had.
        await this.call({
          destination: SERVICE_NAME,
          path: existing,
          interface: ITEM_IFACE,
          member: 'SetSecret',
          signature: '(oayays)',
          body: [secret],
        })
        return
      }
      const properties = [
        ['org.freedesktop.Secret.Item.Label', ['s', `${service}/${account}`]],
        [
          'org.freedesktop.Secret.Item.Attributes',
          [
            'a{ss}',
            [
              ['service', service],
              ['account', account],
              ['xdg:schema', GENERIC_SCHEMA],
            ],
          ],
        ],
      ]
      const [, prompt] = await this.call({
        destination: SERVICE_NAME,
        path: collection as string,
        interface: COLLECTION_IFACE,
        member: 'CreateItem',
        signature: 'a{sv}(oayays)b',
        body: [properties, secret, false],
      })
      if (prompt !== '/') throw keychainLocked('storing the entry needs an unlock prompt')
    } finally {
      value.fill(0)
      secret[2].fill(0)
    }
  }

  async delete(service: string, account: string): Promise<void> {
    const matches = await this.search({ service, account })
    if (matches.unlocked.length === 0) throw await this.notFound(service, account, matches)
    // Every unlocked match goes: a duplicate must not resurface as the entry after a delete.
    for (const item of matches.unlocked) {
      const [prompt] = await this.call({
        destination: SERVICE_NAME,
        path: item,
        interface: ITEM_IFACE,
        member: 'Delete',
      })
      if (prompt !== '/') throw keychainLocked('deleting the entry needs an unlock prompt')
    }
  }

  async accounts(service: string): Promise<string[]> {
    const matches = await this.search({ service })
    if (matches.locked.length > 0) {
      throw keychainLocked(`entries for service ${JSON.stringify(service)} are in a locked collection`)
    }
    const accounts = new Set<string>()
    for (const item of matches.unlocked) {
      const account = dictFromPairs(await this.prop(item, ITEM_IFACE, 'Attributes')).account
      if (account !== undefined) accounts.add(account)
    }
    return [...accounts].sort()
  }

  close(): void {
    this.session?.transfer.dispose()
    this.bus.close()
  }

  /** SearchItems by attributes only (no xdg:schema), across all collections. */
  private async search(attributes: Record<string, string>): Promise<Matches> {
    const [unlocked, locked] = await this.call({
      destination: SERVICE_NAME,
      path: SERVICE_PATH,
      interface: SERVICE_IFACE,
      member: 'SearchItems',
      signature: 'a{ss}',
      body: [Object.entries(attributes)],
    })
    return { unlocked: unlocked as string[], locked: locked as string[] }
  }

  /** "missing" unless the entry could be hiding in a locked collection. */
  private async notFound(service: string, account: string, matches: Matches): Promise<KeychainError> {
    if (matches.locked.length > 0) {
      return keychainLocked(`the entry for ${describeEntry(service, account)} is in a locked collection`)
    }
    const missing = entryMissing(service, account)
    // gnome-keyring finds entries in locked collections too; other providers may not.
    const locked = await this.lockedCollections().catch(() => [])
    if (locked.length === 0) return missing
    return new KeychainError('missing', missing.message, {
      hint: `${locked.join(', ')} ${locked.length === 1 ? 'is' : 'are'} locked and may hold it: unlock, then retry; or ${missing.hint}`,
    })
  }

  private async lockedCollections(): Promise<string[]> {
    const collections = await this.prop<string[]>(SERVICE_PATH, SERVICE_IFACE, 'Collections')
    const locked: string[] = []
    for (const path of collections ?? []) {
      if (await this.isCollectionLocked(path)) locked.push(`collection ${path}`)
    }
    return locked
  }

  private async isCollectionLocked(path: string): Promise<boolean> {
    return this.prop<boolean>(path, COLLECTION_IFACE, 'Locked')
  }

  private async defaultCollection(): Promise<string> {
    const [path] = await this.call({
      destination: SERVICE_NAME,
      path: SERVICE_PATH,
      interface: SERVICE_IFACE,
      member: 'ReadAlias',
      signature: 's',
      body: ['default'],
    })
    if (typeof path !== 'string' || path === '/') {
      throw new KeychainError('no-collection', 'the keychain has no default collection to store entries in', {
        hint: 'create or unlock your login keyring (Seahorse, KeePassXC), then retry',
      })
    }
    let locked: boolean
    try {
      locked = await this.isCollectionLocked(path)
    } catch (err) {
      if (err instanceof DBusCallError && /UnknownObject|NoSuchObject|UnknownMethod/.test(err.dbusName)) {
        throw new KeychainError('no-collection', `the keychain's default collection ${path} does not exist`, {
          hint: 'create or unlock your login keyring (Seahorse, KeePassXC), then retry',
        })
      }
      throw err
    }
    if (locked) throw keychainLocked(`collection ${path} is locked`)
    return path
  }

  private async openSession(): Promise<{ path: string; transfer: Transfer }> {
    if (this.session) return this.session
    const dh = startDhNegotiation()
    try {
      const [output, path] = await this.requestSession(DH_ALGORITHM, ['ay', dh.publicKey])
      this.session = { path, transfer: dh.finish(variantValue<Buffer>(output)) }
    } catch (err) {
      if (!(err instanceof DBusCallError && err.dbusName === 'org.freedesktop.DBus.Error.NotSupported'))
        throw err
      const [, path] = await this.requestSession('plain', ['s', ''])
      this.session = { path, transfer: plainTransfer }
    }
    return this.session
  }

  /** Service.OpenSession with one algorithm: its output (a variant) and the session's path. */
  private async requestSession(algorithm: string, input: [string, unknown]): Promise<[unknown, string]> {
    const [output, path] = await this.call({
      destination: SERVICE_NAME,
      path: SERVICE_PATH,
      interface: SERVICE_IFACE,
      member: 'OpenSession',
      signature: 'sv',
      body: [algorithm, input],
    })
    return [output, path as string]
  }

  /** One D-Bus property of a provider object (Properties.Get), unwrapped from its variant. */
  private async prop<T>(path: string, iface: string, name: string): Promise<T> {
    const [value] = await this.call({
      destination: SERVICE_NAME,
      path,
      interface: PROPS_IFACE,
      member: 'Get',
      signature: 'ss',
      body: [iface, name],
    })
    return variantValue<T>(value)
  }

  /** A call to the provider, with D-Bus errors turned into keychain errors. */
  private async call(msg: MethodCall): Promise<unknown[]> {
    try {
      return await this.bus.call(msg)
    } catch (err) {
      throw translate(err)
    }
  }
}

function translate(err: unknown): unknown {
  if (!(err instanceof DBusCallError)) return err
  switch (err.dbusName) {
    case 'org.freedesktop.Secret.Error.IsLocked':
      return keychainLocked('the collection is locked')
    case 'org.freedesktop.DBus.Error.ServiceUnknown':
    case 'org.freedesktop.DBus.Error.NameHasNoOwner':
    case 'org.freedesktop.DBus.Error.Spawn.ServiceNotFound':
    case 'org.freedesktop.DBus.Error.Spawn.ChildExited':
    case 'org.freedesktop.DBus.Error.Spawn.ExecFailed':
    case 'org.freedesktop.DBus.Error.TimedOut':
    case 'org.freedesktop.DBus.Error.NoReply': {
      const e = noProvider()
      return new KeychainError(e.reason, `${e.message}: ${err.message}`, { hint: e.hint, cause: err })
    }
    default:
      return new KeychainError('failed', `the keychain refused the request: ${err.message}`, { cause: err })
  }
}
