import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../src/errors/cli-error.js'
import { parseKeychainFlag } from '../../../src/keychain/index.js'

describe('parseKeychainFlag', () => {
  it('splits KEY at the first = and the account at the last /', () => {
    expect(parseKeychainFlag('password=db/admin')).toEqual({
      key: 'password',
      service: 'db',
      account: 'admin',
    })
  })

  it('takes services that are URLs, with : and /', () => {
    expect(parseKeychainFlag('token=https://vault.example.com:8200/v1/kv/deploy')).toEqual({
      key: 'token',
      service: 'https://vault.example.com:8200/v1/kv',
      account: 'deploy',
    })
  })

  it('keeps = and spaces inside the service and account', () => {
    expect(parseKeychainFlag('k=a=b c/user@example.com')).toEqual({
      key: 'k',
      service: 'a=b c',
      account: 'user@example.com',
    })
  })

  it('takes the explicit form, where the account may hold /', () => {
    expect(parseKeychainFlag('k=service=https://x.example.com/a,b,account=team/bob')).toEqual({
      key: 'k',
      service: 'https://x.example.com/a,b',
      account: 'team/bob',
    })
  })

  it.each([
    ['no KEY= part', 'justtext', /has no KEY= part/],
    ['an empty key', '=db/admin', /empty KEY/],
    ['an invalid key', 'bad/key=db/admin', /not a valid Secret key/],
    ['no account separator', 'k=db', /names no account/],
    ['an empty service', 'k=/admin', /the service is empty/],
    ['an empty account', 'k=db/', /the account is empty/],
    ['an explicit form without account', 'k=service=db', /needs ',account='/],
    ['an explicit form with an empty account', 'k=service=db,account=', /the account is empty/],
  ])('refuses %s with a UsageError that says so', (_title, value, message) => {
    let caught: unknown
    try {
      parseKeychainFlag(value)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(UsageError)
    expect((caught as Error).message).toMatch(message)
  })

  it('never shows a flag text that may be a value typed in the wrong place', () => {
    for (const value of ['S3cr3tV4lue!x', 'k=S3cr3tV4lue!x']) {
      expect(() => parseKeychainFlag(value)).toThrow(UsageError)
      expect(() => parseKeychainFlag(value)).not.toThrow(/S3cr3tV4lue/)
    }
  })

  it('refuses a key longer than 253 characters', () => {
    expect(() => parseKeychainFlag(`${'k'.repeat(254)}=s/a`)).toThrow(/not a valid Secret key/)
  })
})
