/**
 * The keychain on macOS (Keychain Services) and Windows (Credential Manager),
 * through keytar: an optional native dependency, imported only here and only
 * when a keychain command runs. On macOS keytar's service and account are the
 * generic password's -s and -a; on Windows the credential's target is
 * `service/account`.
 */
import type { KeychainBackend } from './backend.js'
import { entryExists, entryMissing, KeychainError, keytarUnavailable } from './errors.js'

export interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
  findCredentials(service: string): Promise<{ account: string; password: string }[]>
}

export type KeytarLoader = () => Promise<unknown>

const importKeytar: KeytarLoader = () => import('keytar')

export class KeytarBackend implements KeychainBackend {
  readonly name = 'keytar'

  constructor(private readonly keytar: KeytarModule) {}

  /** Loads keytar; any failure (not installed, native build missing, wrong ABI) says how to install it. */
  static async load(loader: KeytarLoader = importKeytar): Promise<KeytarBackend> {
    let mod: unknown
    try {
      mod = await loader()
    } catch (err) {
      throw keytarUnavailable(err)
    }
    const keytar = ((mod as { default?: unknown }).default ?? mod) as Partial<KeytarModule>
    if (typeof keytar?.getPassword !== 'function') {
      throw keytarUnavailable(new Error('the module loaded but has no getPassword()'))
    }
    return new KeytarBackend(keytar as KeytarModule)
  }

  async get(service: string, account: string): Promise<Buffer> {
    const value = await this.guard(() => this.keytar.getPassword(service, account))
    if (value === null) throw entryMissing(service, account)
    return Buffer.from(value, 'utf8')
  }

  async has(service: string, account: string): Promise<boolean> {
    return (await this.guard(() => this.keytar.getPassword(service, account))) !== null
  }

  async set(
    service: string,
    account: string,
    readValue: () => Promise<Buffer>,
    options: { overwrite: boolean },
  ): Promise<void> {
    if (!options.overwrite && (await this.has(service, account))) throw entryExists(service, account)
    const value = await readValue()
    try {
      // keytar takes a JS string: the one copy we cannot zero, on the platforms that need keytar.
      await this.guard(() => this.keytar.setPassword(service, account, value.toString('utf8')))
    } finally {
      value.fill(0)
    }
  }

  async delete(service: string, account: string): Promise<void> {
    const deleted = await this.guard(() => this.keytar.deletePassword(service, account))
    if (!deleted) throw entryMissing(service, account)
  }

  async accounts(service: string): Promise<string[]> {
    // keytar has no way to list without reading the values; they are dropped at once.
    const found = await this.guard(() => this.keytar.findCredentials(service))
    return [...new Set(found.map((c) => c.account))].sort()
  }

  close(): void {}

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op()
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      throw new KeychainError('failed', `the keychain refused the request: ${message}`, { cause: err })
    }
  }
}
