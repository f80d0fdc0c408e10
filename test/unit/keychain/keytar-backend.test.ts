import { describe, expect, it } from 'vitest'
import { KeychainError } from '../../../src/keychain/errors.js'
import {
  fromCredentialManagerBlob,
  KeytarBackend,
  type KeytarModule,
} from '../../../src/keychain/keytar-backend.js'

function fakeKeytar(store = new Map<string, string>()): KeytarModule {
  const id = (s: string, a: string) => `${s}\u0000${a}`
  return {
    async getPassword(s, a) {
      return store.get(id(s, a)) ?? null
    },
    async setPassword(s, a, p) {
      store.set(id(s, a), p)
    },
    async deletePassword(s, a) {
      return store.delete(id(s, a))
    },
    async findCredentials(s) {
      return [...store.entries()]
        .filter(([k]) => k.startsWith(`${s}\u0000`))
        .map(([k, password]) => ({ account: k.split('\u0000')[1] as string, password }))
    },
  }
}

describe('the keytar backend', () => {
  it('says how to install keytar when it cannot be loaded', async () => {
    const err = await KeytarBackend.load(async () => {
      throw new Error("Cannot find module 'keytar'")
    }).catch((e) => e)
    expect(err).toBeInstanceOf(KeychainError)
    expect(err.reason).toBe('no-backend')
    expect(err.message).toMatch(/keytar\) is not installed or failed to build: Cannot find module 'keytar'/)
    expect(err.hint).toMatch(/npm install keytar/)
  })

  it('says the same when the native module loads without its functions (a broken build)', async () => {
    const err = await KeytarBackend.load(async () => ({ default: {} })).catch((e) => e)
    expect(err.reason).toBe('no-backend')
  })

  it('reads bytes, names service and account when missing, lists accounts only', async () => {
    const keychain = await KeytarBackend.load(async () => ({ default: fakeKeytar() }))
    await keychain.set('svc', 'a', async () => Buffer.from('väl'), { overwrite: false })
    expect((await keychain.get('svc', 'a')).toString('utf8')).toBe('väl')
    await expect(keychain.get('svc', 'b')).rejects.toThrow('no keychain entry for service "svc" account "b"')
    await expect(
      keychain.set('svc', 'a', async () => Buffer.from('x'), { overwrite: false }),
    ).rejects.toThrow(/already exists/)
    expect(await keychain.accounts('svc')).toEqual(['a'])
    await keychain.delete('svc', 'a')
    await expect(keychain.delete('svc', 'a')).rejects.toThrow(/no keychain entry/)
  })

  it('turns a keytar rejection into a keychain error', async () => {
    const broken = {
      ...fakeKeytar(),
      getPassword: async () => Promise.reject(new Error('Cannot autolaunch D-Bus')),
    }
    const keychain = new KeytarBackend(broken)
    const err = await keychain.get('s', 'a').catch((e) => e)
    expect(err.reason).toBe('failed')
    expect(err.message).toMatch(/Cannot autolaunch D-Bus/)
  })
})

describe('Windows credentials written by cmdkey or the Credential Manager window (UTF-16LE)', () => {
  it('are decoded on win32', async () => {
    const store = new Map([['svc\u0000a', 't\u0000e\u0000s\u0000t\u0000']])
    const keychain = await KeytarBackend.load(async () => ({ default: fakeKeytar(store) }), 'win32')
    expect((await keychain.get('svc', 'a')).toString('utf8')).toBe('test')
  })

  it('are left alone elsewhere, and UTF-8 values are never touched', async () => {
    expect(fromCredentialManagerBlob(Buffer.from('plain')).toString()).toBe('plain')
    expect(fromCredentialManagerBlob(Buffer.from('ab')).toString()).toBe('ab')
    expect(fromCredentialManagerBlob(Buffer.from([0x00, 0x61])).equals(Buffer.from([0x00, 0x61]))).toBe(true)
    const store = new Map([['svc\u0000a', 't\u0000e\u0000']])
    const keychain = await KeytarBackend.load(async () => ({ default: fakeKeytar(store) }), 'darwin')
    expect((await keychain.get('svc', 'a')).toString('utf8')).toBe('t\u0000e\u0000')
  })
})
