import { CliError } from '../errors/cli-error.js'
import { isPlainEntryName, quoteEntryName } from '../errors/user-text.js'

/**
 * Why a keychain operation failed. Each reason has its own message and hint,
 * because "no bus", "no provider", "locked" and "missing" need different fixes
 * and keytar alone reports several of them as the same `null`.
 */
export type KeychainFailure =
  | 'no-backend'
  | 'no-bus'
  | 'no-provider'
  | 'locked'
  | 'no-collection'
  | 'missing'
  | 'exists'
  | 'timeout'
  | 'failed'

/** A keychain failure. Messages name services, accounts and paths, never a value. */
export class KeychainError extends CliError {
  readonly reason: KeychainFailure

  constructor(reason: KeychainFailure, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: 1 })
    this.name = 'KeychainError'
    this.reason = reason
  }
}

/**
 * `service "S" account "A"`, quoted so that URLs stay readable. Either is shown
 * only when plain (user-text.ts): both are typed, and may be a value in the wrong place.
 */
export function describeEntry(service: string, account: string): string {
  return `service ${quoteEntryName(service)} account ${quoteEntryName(account)}`
}

export function entryMissing(service: string, account: string): KeychainError {
  const shown = isPlainEntryName(service) && isPlainEntryName(account)
  return new KeychainError('missing', `no keychain entry for ${describeEntry(service, account)}`, {
    hint: shown
      ? `store one with: kubectl safe-secret keychain set ${shellWord(service)} ${shellWord(account)}`
      : 'store one with: kubectl safe-secret keychain set SERVICE ACCOUNT',
  })
}

export function entryExists(service: string, account: string): KeychainError {
  return new KeychainError(
    'exists',
    `a keychain entry for ${describeEntry(service, account)} already exists`,
    { hint: 'pass --overwrite to replace its value' },
  )
}

export function keychainLocked(what: string): KeychainError {
  return new KeychainError('locked', `the keychain is locked (${what})`, {
    hint: 'unlock it first (log in to your desktop session, or unlock the collection in Seahorse or KeePassXC), then retry',
  })
}

export function noSessionBus(detail: string): KeychainError {
  return new KeychainError(
    'no-bus',
    `cannot reach the keychain: no D-Bus session bus is running (${detail})`,
    {
      hint: 'start one with `dbus-run-session -- $SHELL` or `eval $(dbus-launch --sh-syntax)`, then start your keyring (for example `gnome-keyring-daemon --start --components=secrets`)',
    },
  )
}

export function noProvider(): KeychainError {
  return new KeychainError(
    'no-provider',
    'cannot reach the keychain: no Secret Service provider is running on the D-Bus session bus (nothing owns org.freedesktop.secrets)',
    {
      hint: 'start a provider: gnome-keyring (`gnome-keyring-daemon --start --components=secrets`) or KeePassXC with "Secret Service integration" enabled',
    },
  )
}

export function keytarUnavailable(cause: unknown): KeychainError {
  const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause)
  return new KeychainError(
    'no-backend',
    `the keychain backend (the optional npm package keytar) is not installed or failed to build: ${why}`,
    {
      cause,
      hint: 'install it where the plugin is installed: `npm install keytar` (it builds a native module: macOS needs the Xcode command line tools, Windows the Visual Studio C++ build tools); then retry',
    },
  )
}

/** Quotes a word for a shell hint only when it needs quoting. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}
