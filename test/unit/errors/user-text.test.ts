import { describe, expect, it } from 'vitest'
import {
  isFlagName,
  isPlainEntryName,
  isPlainName,
  isPlainPath,
  NOT_SHOWN,
  quoteEntryName,
  quoteName,
  quotePath,
} from '../../../src/errors/user-text.js'

const passwordLike = ['P@ss!x9/w0rd+==', 'hunter 2', 'a"b', "it's", 'x=y', 'tab\there', 'ünïcode', '$HOME']

describe('what an error may repeat of typed text', () => {
  it('names, keys and context names are shown', () => {
    for (const name of ['db-pass', 'tls.crt', 'DB_PASSWORD', 'kind-kind', 'gke_p_z_c', '0abc']) {
      expect(isPlainName(name), name).toBe(true)
      expect(quoteName(name)).toBe(`"${name}"`)
    }
    expect(quoteName('')).toBe('""')
    expect(isPlainName('-flag')).toBe(false)
    expect(isPlainName('a'.repeat(254))).toBe(false)
  })

  it('plain paths and keychain URLs are shown', () => {
    for (const p of ['./certs/tls.crt', '/tmp/x', 'a/b/c', '..']) expect(isPlainPath(p), p).toBe(true)
    expect(quotePath('site.key')).toBe('site.key')
    expect(quotePath('site.key', true)).toBe('"site.key"')
    expect(isPlainPath('-rf')).toBe(false)
    for (const e of ['https://vault.example.com:8200/v1/kv', 'db', 'ci/deploy']) {
      expect(isPlainEntryName(e), e).toBe(true)
    }
    expect(quoteEntryName('https://db.example.com')).toBe('"https://db.example.com"')
    expect(isFlagName('--no-such-flag')).toBe(true)
    expect(isFlagName('-n')).toBe(true)
  })

  it('anything a password could be is not shown', () => {
    for (const text of passwordLike) {
      expect(quoteName(text), text).toBe(NOT_SHOWN)
      expect(quotePath(text), text).toBe(NOT_SHOWN)
      expect(quoteEntryName(text), text).toBe(NOT_SHOWN)
      expect(isFlagName(`--${text}`), text).toBe(false)
    }
  })
})
