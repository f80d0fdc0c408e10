/**
 * The keychain as this plugin needs it: four operations on entries named by
 * service and account. Each platform's implementation lives behind it, loaded
 * lazily, so a user who never touches the keychain pays for none of them.
 */
export interface KeychainBackend {
  /** A short name for messages and --debug: "secret-service", "keytar". */
  readonly name: string
  /** The entry's value as bytes. Throws KeychainError ('missing', 'locked', ...). */
  get(service: string, account: string): Promise<Buffer>
  /**
   * Stores the value that `readValue` returns, zeroing it afterwards. Every check
   * (exists without `overwrite`, locked, nowhere to store) runs before
   * `readValue`, so no one types a value only to have it refused.
   */
  set(
    service: string,
    account: string,
    readValue: () => Promise<Buffer>,
    options: { overwrite: boolean },
  ): Promise<void>
  /** Removes the entry. Throws 'missing' when there is none. */
  delete(service: string, account: string): Promise<void>
  /** The accounts stored under `service`, sorted; never their values. */
  accounts(service: string): Promise<string[]>
  /** Releases connections; the backend is unusable afterwards. */
  close(): void
}

export interface BackendOptions {
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
}

/**
 * Linux talks to the freedesktop Secret Service over D-Bus itself; macOS and
 * Windows go through keytar. docs/dev-notes/keychain.md says why.
 */
export async function openKeychain(options: BackendOptions = {}): Promise<KeychainBackend> {
  const platform = options.platform ?? process.platform
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    const { SecretServiceBackend } = await import('./secret-service/backend.js')
    return SecretServiceBackend.open({ env: options.env })
  }
  const { KeytarBackend } = await import('./keytar-backend.js')
  return KeytarBackend.load()
}
