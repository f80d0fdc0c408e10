import { createCipheriv, createDecipheriv, getDiffieHellman, hkdfSync, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { plainTransfer, startDhNegotiation } from '../../../src/keychain/secret-service/transfer.js'

/** The provider's side of dh-ietf1024-sha256-aes128-cbc-pkcs7, as gnome-keyring does it. */
function server(clientPublic: Buffer) {
  const dh = getDiffieHellman('modp2')
  const publicKey = dh.generateKeys()
  const key = Buffer.from(
    hkdfSync('sha256', dh.computeSecret(clientPublic), Buffer.alloc(0), Buffer.alloc(0), 16),
  )
  return {
    publicKey,
    encrypt(value: Buffer): [Buffer, Buffer] {
      const iv = randomBytes(16)
      const c = createCipheriv('aes-128-cbc', key, iv)
      return [iv, Buffer.concat([c.update(value), c.final()])]
    },
    decrypt(iv: Buffer, data: Buffer): Buffer {
      const d = createDecipheriv('aes-128-cbc', key, iv)
      return Buffer.concat([d.update(data), d.final()])
    },
  }
}

describe('the encrypted transfer', () => {
  const value = Buffer.from('pässwörd\nline two\n🔑', 'utf8')

  it('agrees on a key with the provider and round-trips exact bytes both ways', () => {
    const client = startDhNegotiation()
    const provider = server(client.publicKey)
    const transfer = client.finish(provider.publicKey)

    const [session, iv, encrypted, contentType] = transfer.encode('/session/1', value)
    expect(session).toBe('/session/1')
    expect(contentType).toBe('text/plain')
    expect(encrypted.includes(value)).toBe(false)
    expect(provider.decrypt(iv, encrypted).equals(value)).toBe(true)

    const [iv2, encrypted2] = provider.encrypt(value)
    expect(transfer.decode(['/session/1', iv2, encrypted2, 'text/plain']).equals(value)).toBe(true)
  })

  it('forgets its key on dispose', () => {
    const client = startDhNegotiation()
    const provider = server(client.publicKey)
    const transfer = client.finish(provider.publicKey)
    const [iv, encrypted] = provider.encrypt(value)
    transfer.dispose()
    let decoded: Buffer | undefined
    try {
      decoded = transfer.decode(['/s', iv, encrypted, 'text/plain'])
    } catch {
      decoded = undefined
    }
    expect(decoded?.equals(value) ?? false).toBe(false)
  })

  it('plain passes bytes through unchanged', () => {
    const [, params, sent] = plainTransfer.encode('/s', value)
    expect(params.length).toBe(0)
    expect(sent.equals(value)).toBe(true)
    expect(plainTransfer.decode(['/s', Buffer.alloc(0), value, 'text/plain']).equals(value)).toBe(true)
  })
})
