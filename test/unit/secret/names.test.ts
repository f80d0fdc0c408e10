import { describe, expect, it } from 'vitest'
import {
  labelValueProblem,
  qualifiedNameProblem,
  secretKeyProblem,
  secretNameProblem,
} from '../../../src/secret/names.js'

describe('secretNameProblem (DNS-1123 subdomain)', () => {
  it.each([
    'a',
    'my-secret',
    'db.prod',
    'a1',
    '0abc',
    `${'a'.repeat(63)}.${'b'.repeat(63)}`,
    'a'.repeat(253),
  ])('accepts %s', (name) => {
    expect(secretNameProblem(name)).toBeUndefined()
  })

  it('refuses an empty name', () => {
    expect(secretNameProblem('')).toBe('the name is empty')
  })

  it('refuses a name over 253 characters, giving the length', () => {
    expect(secretNameProblem('a'.repeat(254))).toMatch(/254 characters long, over the limit of 253/)
  })

  it.each(['My-Secret', '-a', 'a-', 'a_b', 'a..b', '.a', 'a.', 'a b', 'a/b', 'ä'])('refuses %j', (name) => {
    expect(secretNameProblem(name)).toMatch(/DNS subdomain/)
  })
})

describe('secretKeyProblem (kubectl IsConfigMapKey)', () => {
  it.each([
    'a',
    'KEY_NAME',
    'key-name',
    'key.name',
    'tls.crt',
    '.dockerconfigjson',
    '.a',
    '_',
    '-',
    '0',
    'a..b',
    'a.',
  ])('accepts %j', (key) => {
    expect(secretKeyProblem(key)).toBeUndefined()
  })

  it('accepts exactly 253 characters and refuses 254', () => {
    expect(secretKeyProblem('k'.repeat(253))).toBeUndefined()
    expect(secretKeyProblem('k'.repeat(254))).toMatch(/254 characters long, over the limit of 253/)
  })

  it('refuses an empty key', () => {
    expect(secretKeyProblem('')).toBe('the key is empty')
  })

  it.each(['a b', 'a/b', 'a=b', 'a:b', 'ключ', 'a\n', 'a+b'])(
    'refuses characters outside [-._a-zA-Z0-9]: %j',
    (key) => {
      expect(secretKeyProblem(key)).toMatch(/only letters, digits/)
    },
  )

  it("refuses '.' and '..'", () => {
    expect(secretKeyProblem('.')).toBe("a key may not be '.'")
    expect(secretKeyProblem('..')).toBe("a key may not be '..'")
  })

  it("refuses a key starting with '..'", () => {
    expect(secretKeyProblem('..data')).toBe("a key may not start with '..'")
    expect(secretKeyProblem('...')).toBe("a key may not start with '..'")
  })
})

describe('qualifiedNameProblem (label and annotation keys)', () => {
  it.each(['app', 'app.kubernetes.io/name', 'example.com/a_b-c.d', 'A1', 'x/y', 'n'.repeat(63)])(
    'accepts %j',
    (key) => {
      expect(qualifiedNameProblem(key)).toBeUndefined()
    },
  )

  it('refuses more than one slash', () => {
    expect(qualifiedNameProblem('a/b/c')).toBe('it may contain at most one /')
  })

  it.each(['/name', 'Example.com/name', '-a.com/name', `${'p'.repeat(254)}/name`])(
    'refuses a bad prefix: %j',
    (key) => {
      expect(qualifiedNameProblem(key)).toBe('its prefix must be a DNS subdomain')
    },
  )

  it('refuses an empty or too long name part', () => {
    expect(qualifiedNameProblem('')).toMatch(/1 to 63 characters/)
    expect(qualifiedNameProblem('example.com/')).toMatch(/1 to 63 characters/)
    expect(qualifiedNameProblem('n'.repeat(64))).toMatch(/1 to 63 characters/)
  })

  it.each(['-a', 'a-', '_a', 'a.', 'a b', 'a:b'])('refuses a bad name part: %j', (key) => {
    expect(qualifiedNameProblem(key)).toMatch(/must start and end with a letter or digit/)
  })
})

describe('labelValueProblem', () => {
  it.each(['', 'v', 'v1.2_3-x', 'A', 'v'.repeat(63)])('accepts %j', (value) => {
    expect(labelValueProblem(value)).toBeUndefined()
  })

  it('refuses more than 63 characters', () => {
    expect(labelValueProblem('v'.repeat(64))).toBe('a label value may be at most 63 characters long')
  })

  it.each(['-v', 'v-', '.v', 'v_', 'a b', 'a/b', 'é'])('refuses %j', (value) => {
    expect(labelValueProblem(value)).toMatch(/must start and end with a letter or digit/)
  })
})
