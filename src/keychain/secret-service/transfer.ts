/**
 * How secret values travel between us and the Secret Service provider.
 * We negotiate `dh-ietf1024-sha256-aes128-cbc-pkcs7` (what libsecret and
 * secret-tool use): the value crosses the bus socket AES-encrypted, so it is
 * in no plaintext write() of ours, even for `keychain set`. `plain` is the
 * fallback for providers that do not offer encryption.
 */
import { createCipheriv, createDecipheriv, getDiffieHellman, hkdfSync, randomBytes } from 'node:crypto'

export const DH_ALGORITHM = 'dh-ietf1024-sha256-aes128-cbc-pkcs7'

/** The secret struct of the Secret Service API: (session, parameters, value, content_type). */
export type SecretStruct = [string, Buffer, Buffer, string]

export interface Transfer {
  readonly algorithm: string
  /** Builds the struct to send a value; the caller still owns (and zeroes) `value`. */
  encode(session: string, value: Buffer): SecretStruct
  /** Extracts the value of a received struct as a fresh Buffer. */
  decode(secret: SecretStruct): Buffer
  /** Forgets the session key. */
  dispose(): void
}

/** The client side of the DH negotiation: what we send, then how to finish with the server's answer. */
export function startDhNegotiation(): { publicKey: Buffer; finish(serverPublicKey: Buffer): Transfer } {
  // RFC 2409 Second Oakley Group (1024-bit MODP, generator 2): "ietf1024".
  const dh = getDiffieHellman('modp2')
  const publicKey = dh.generateKeys()
  return {
    publicKey,
    finish(serverPublicKey: Buffer): Transfer {
      // Node pads the shared secret to the prime's length, as libsecret's egg-dh does.
      const shared = dh.computeSecret(serverPublicKey)
      const key = Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), Buffer.alloc(0), 16))
      shared.fill(0)
      return aesTransfer(key)
    },
  }
}

function aesTransfer(key: Buffer): Transfer {
  return {
    algorithm: DH_ALGORITHM,
    encode(session, value) {
      const iv = randomBytes(16)
      const cipher = createCipheriv('aes-128-cbc', key, iv)
      const encrypted = Buffer.concat([cipher.update(value), cipher.final()])
      return [session, iv, encrypted, 'text/plain']
    },
    decode(secret) {
      const [, iv, encrypted] = secret
      const decipher = createDecipheriv('aes-128-cbc', key, iv)
      const head = decipher.update(encrypted)
      const tail = decipher.final()
      const value = Buffer.concat([head, tail])
      head.fill(0)
      tail.fill(0)
      return value
    },
    dispose() {
      key.fill(0)
    },
  }
}

export const plainTransfer: Transfer = {
  algorithm: 'plain',
  encode(session, value) {
    return [session, Buffer.alloc(0), value, 'text/plain']
  },
  decode(secret) {
    return secret[2]
  },
  dispose() {},
}
