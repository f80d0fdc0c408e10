/**
 * The keychain as `create` sees it: parse a --from-keychain value, read one
 * entry's bytes. Everything platform-specific is loaded only when read.
 */
import { openKeychain } from './backend.js'

export { type KeychainRef, parseKeychainFlag } from './entry-ref.js'

/** Reads one entry's value as bytes. Throws a CliError that names service and account, never the value. */
export async function readKeychainValue(ref: { service: string; account: string }): Promise<Buffer> {
  const keychain = await openKeychain()
  try {
    return await keychain.get(ref.service, ref.account)
  } finally {
    keychain.close()
  }
}
