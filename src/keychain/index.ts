/**
 * The keychain as `create` sees it. STUB: replaced by the keychain implementation.
 */
import { UsageError } from '../errors/cli-error.js'

export interface KeychainRef {
  /** The Secret key the value goes to. */
  key: string
  service: string
  account: string
}

/** Parses one --from-keychain value. Throws UsageError naming the problem. */
export function parseKeychainFlag(value: string): KeychainRef {
  throw new UsageError(`--from-keychain is not available yet (${value.split('=')[0]})`)
}

/** Reads one entry's value as bytes. Throws a CliError that names service and account, never the value. */
export async function readKeychainValue(_ref: { service: string; account: string }): Promise<Buffer> {
  throw new UsageError('--from-keychain is not available yet')
}
