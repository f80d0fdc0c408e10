/**
 * Foundation: the test keychain is a real Secret Service, and what secret-tool
 * stores there is what keytar and our own backend read, byte for byte. Both
 * directions with keytar too, so the three writers really share entries.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openKeychain } from '../../src/keychain/backend.js'
import type { KeytarModule } from '../../src/keychain/keytar-backend.js'

const keyring = inject('keyring')
const env = { ...process.env, ...keyring.env }

function secretTool(args: string[], input?: string | Buffer): Buffer {
  return execFileSync('secret-tool', args, { env, input, timeout: 10_000 })
}

let keytar: KeytarModule
beforeAll(() => {
  // libsecret (inside keytar) finds the bus through this process's environment.
  process.env.DBUS_SESSION_BUS_ADDRESS = keyring.env.DBUS_SESSION_BUS_ADDRESS
  keytar = createRequire(import.meta.url)('keytar') as KeytarModule
})
afterAll(() => {
  delete process.env.DBUS_SESSION_BUS_ADDRESS
})

const values = {
  ascii: 'plain-token-123',
  utf8: 'pässwörd ключ 鍵 🔑',
  newlines: 'line one\nline two\r\n\nlast\n',
}

describe('the test keychain', () => {
  for (const [kind, value] of Object.entries(values)) {
    it(`a ${kind} value stored with secret-tool under keytar's schema is read back through keytar, byte for byte`, async () => {
      const service = `foundation-${randomBytes(4).toString('hex')}`
      // keytar looks up with xdg:schema=org.freedesktop.Secret.Generic added to service and account.
      secretTool(
        [
          'store',
          '--label',
          'foundation',
          'xdg:schema',
          'org.freedesktop.Secret.Generic',
          'service',
          service,
          'account',
          'acct',
        ],
        value,
      )
      expect(await keytar.getPassword(service, 'acct')).toBe(value)
    })

    it(`a ${kind} value stored with plain \`secret-tool store service S account A\` is read by our backend, byte for byte`, async () => {
      const service = `foundation-${randomBytes(4).toString('hex')}`
      secretTool(['store', '--label', 'foundation', 'service', service, 'account', 'acct'], value)
      const keychain = await openKeychain({ env })
      try {
        expect((await keychain.get(service, 'acct')).equals(Buffer.from(value, 'utf8'))).toBe(true)
      } finally {
        keychain.close()
      }
    })
  }

  it('an entry written by keytar is read by secret-tool and our backend; one written by us is read by keytar', async () => {
    const service = `https://interop-${randomBytes(4).toString('hex')}.example.com:8443/v1`
    await keytar.setPassword(service, 'from-keytar', values.utf8)
    expect(secretTool(['lookup', 'service', service, 'account', 'from-keytar']).toString('utf8')).toBe(
      values.utf8,
    )
    const keychain = await openKeychain({ env })
    try {
      expect((await keychain.get(service, 'from-keytar')).toString('utf8')).toBe(values.utf8)
      await keychain.set(service, 'from-us', async () => Buffer.from(values.newlines), { overwrite: false })
      expect(await keychain.accounts(service)).toEqual(['from-keytar', 'from-us'])
    } finally {
      keychain.close()
    }
    expect(await keytar.getPassword(service, 'from-us')).toBe(values.newlines)
    expect(await keytar.findCredentials(service)).toHaveLength(2)
  })
})
