/**
 * The syntax of --from-keychain: `KEY=SERVICE/ACCOUNT`, or the explicit
 * `KEY=service=SERVICE,account=ACCOUNT`.
 *
 * The key ends at the first `=` (a Secret key cannot hold one). In the short
 * form the account starts after the LAST `/`, so a service may be a URL with
 * `/` and `:` in it (`api=https://vault.example.com:8200/deploy`) and the
 * shape matches keytar's labels (`service/account`). An account that itself
 * holds `/` needs the explicit form, which splits at the last `,account=`.
 */
import { UsageError } from '../errors/cli-error.js'
import { quoteName } from '../errors/user-text.js'

export interface KeychainRef {
  /** The Secret key the value goes to. */
  key: string
  service: string
  account: string
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/
const SYNTAX = '--from-keychain=KEY=SERVICE/ACCOUNT or --from-keychain=KEY=service=SERVICE,account=ACCOUNT'

export function parseKeychainFlag(value: string): KeychainRef {
  const eq = value.indexOf('=')
  if (eq < 0) {
    // The flag's text is not shown: a value typed in the wrong place would be.
    throw new UsageError('--from-keychain has no KEY= part', {
      hint: `use ${SYNTAX}`,
    })
  }
  const key = value.slice(0, eq)
  const entry = value.slice(eq + 1)
  if (key === '') throw new UsageError('--from-keychain has an empty KEY', { hint: `use ${SYNTAX}` })
  if (key.length > 253 || !SECRET_KEY.test(key)) {
    throw new UsageError(
      `--from-keychain key ${quoteName(key)} is not a valid Secret key (letters, digits, '-', '_' and '.' only, at most 253)`,
    )
  }
  const { service, account } = entry.startsWith('service=')
    ? parseExplicit(key, entry)
    : parseShort(key, entry)
  if (service === '')
    throw new UsageError(`--from-keychain ${key}: the service is empty`, { hint: `use ${SYNTAX}` })
  if (account === '')
    throw new UsageError(`--from-keychain ${key}: the account is empty`, { hint: `use ${SYNTAX}` })
  return { key, service, account }
}

function parseShort(key: string, entry: string): { service: string; account: string } {
  const slash = entry.lastIndexOf('/')
  if (slash < 0) {
    throw new UsageError(
      `--from-keychain ${key}: the entry names no account (no '/'; not shown, in case it is a value)`,
      {
        hint: `use ${SYNTAX}`,
      },
    )
  }
  return { service: entry.slice(0, slash), account: entry.slice(slash + 1) }
}

function parseExplicit(key: string, entry: string): { service: string; account: string } {
  const marker = ',account='
  const at = entry.lastIndexOf(marker)
  if (at < 0) {
    throw new UsageError(`--from-keychain ${key}: the explicit form needs ',account=' after the service`, {
      hint: `use ${SYNTAX}`,
    })
  }
  return { service: entry.slice('service='.length, at), account: entry.slice(at + marker.length) }
}
