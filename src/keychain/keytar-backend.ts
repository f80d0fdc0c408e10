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

  constructor(
    private readonly keytar: KeytarModule,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /** Loads keytar; any failure (not installed, native build missing, wrong ABI) says how to install it. */
  static async load(
    loader: KeytarLoader = importKeytar,
    platform: NodeJS.Platform = process.platform,
  ): Promise<KeytarBackend> {
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
    return new KeytarBackend(keytar as KeytarModule, platform)
  }

  async get(service: string, account: string): Promise<Buffer> {
    const value = await this.guard(() => this.keytar.getPassword(service, account))
    if (value === null) throw entryMissing(service, account)
    const bytes = Buffer.from(value, 'utf8')
    return this.platform === 'win32' ? fromCredentialManagerBlob(bytes) : bytes
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

  private async has(service: string, account: string): Promise<boolean> {
    return (await this.guard(() => this.keytar.getPassword(service, account))) !== null
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op()
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      throw new KeychainError('failed', `the keychain refused the request: ${message}`, { cause: err })
    }
  }
}

/**
 * keytar writes UTF-8 into a Windows credential, but `cmdkey` and the Credential
 * Manager window write UTF-16LE, which keytar hands back with a NUL after every
 * ASCII character. Such a blob (even length, every odd byte NUL, no other NUL)
 * is decoded as UTF-16LE. Non-ASCII characters typed there are already lost by
 * keytar's decoding; the README says to store those with `keychain set`.
 */
export function fromCredentialManagerBlob(bytes: Buffer): Buffer {
  if (bytes.length === 0 || bytes.length % 2 !== 0) return bytes
  for (let i = 0; i < bytes.length; i += 2) {
    if (bytes[i] === 0 || bytes[i + 1] !== 0) return bytes
  }
  const decoded = Buffer.from(bytes.toString('utf16le'), 'utf8')
  bytes.fill(0)
  return decoded
}
