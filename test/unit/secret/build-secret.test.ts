import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../src/errors/cli-error.js'
import { buildSecret, checkEntries, type SecretSpec } from '../../../src/secret/build-secret.js'
import { kubectlSecretHash } from '../../../src/secret/hash.js'
import { MAX_SECRET_DATA_BYTES, type SecretEntry } from '../../../src/secret/manifest.js'
import { thrown } from '../../helpers/errors.js'

const e = (key: string, value: string | Buffer, origin = 'prompt'): SecretEntry => ({
  key,
  value: Buffer.from(value),
  origin,
})

const spec = (over: Partial<SecretSpec> = {}): SecretSpec => ({
  name: 'db',
  namespace: 'prod',
  type: 'Opaque',
  entries: [e('password', 's3cret')],
  labels: {},
  annotations: {},
  immutable: false,
  appendHash: false,
  ...over,
})

describe('checkEntries', () => {
  it('refuses no entry at all', () => {
    const err = thrown(() => checkEntries([]))
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe('no value to store: the sources gave no key')
  })

  it('refuses an invalid key, naming key and origin but not the value', () => {
    const err = thrown(() => checkEntries([e('bad key', 'VALUE-XYZ', 'file /tmp/bad key')]))
    expect(err.message).toMatch(
      /^\(not shown, in case it is a value\) \(from file \/tmp\/bad key\) is not a valid key name for a Secret: /,
    )
    expect(err.message).not.toContain('VALUE-XYZ')
  })

  it.each(['..', '.', '..x', ''])('refuses key %j', (key) => {
    expect(() => checkEntries([e(key, 'v')])).toThrow(/is not a valid key name/)
  })

  it('refuses a duplicate key, naming both origins', () => {
    const err = thrown(() =>
      checkEntries([e('token', 'a', 'env file .env line 2'), e('other', 'b'), e('token', 'c', 'stdin')]),
    )
    expect(err.message).toBe(
      'cannot add key "token" from stdin: another key by that name already comes from env file .env line 2',
    )
  })

  it('accepts exactly 1 MiB of data in total and refuses one byte more', () => {
    expect(MAX_SECRET_DATA_BYTES).toBe(1048576)
    const half = 1048576 / 2
    expect(() => checkEntries([e('a', Buffer.alloc(half)), e('b', Buffer.alloc(half))])).not.toThrow()
    const err = thrown(() => checkEntries([e('a', Buffer.alloc(half)), e('b', Buffer.alloc(half + 1))]))
    expect(err.message).toBe(
      "the Secret's data is 1048577 bytes, over the API's limit of 1048576 bytes (1 MiB)",
    )
  })

  it('counts bytes, not characters', () => {
    // 349526 three-byte characters = 1048578 bytes
    expect(() => checkEntries([e('a', '€'.repeat(349526))])).toThrow(/1048578 bytes/)
  })
})

describe('buildSecret', () => {
  it('builds a v1 Secret with base64 data and keys in sorted order', () => {
    const m = buildSecret(
      spec({ entries: [e('zeta', 'z'), e('alpha', Buffer.from([0, 255, 1])), e('Mid', 'hello world')] }),
    )
    expect(m).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'prod' },
      type: 'Opaque',
      data: { Mid: 'aGVsbG8gd29ybGQ=', alpha: 'AP8B', zeta: 'eg==' },
    })
    expect(Object.keys(m.data)).toEqual(['Mid', 'alpha', 'zeta'])
    expect('immutable' in m).toBe(false)
  })

  it('copies labels and annotations, and sets immutable only when asked', () => {
    const labels = { app: 'api' }
    const annotations = { 'example.com/note': 'x y' }
    const m = buildSecret(spec({ labels, annotations, immutable: true }))
    expect(m.metadata.labels).toEqual({ app: 'api' })
    expect(m.metadata.annotations).toEqual({ 'example.com/note': 'x y' })
    expect(m.metadata.labels).not.toBe(labels)
    expect(m.immutable).toBe(true)
  })

  it('leaves out empty labels, annotations and ownerReferences', () => {
    const m = buildSecret(spec({ ownerReferences: [] }))
    expect(Object.keys(m.metadata).sort()).toEqual(['name', 'namespace'])
  })

  it('keeps ownerReferences', () => {
    const refs = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'u-1', controller: true }]
    expect(buildSecret(spec({ ownerReferences: refs })).metadata.ownerReferences).toEqual(refs)
  })

  it('with appendHash, suffixes the name with kubectlSecretHash of the data', () => {
    const m = buildSecret(spec({ appendHash: true, entries: [e('key2', 'value2'), e('key1', 'value1')] }))
    const hash = kubectlSecretHash('db', 'Opaque', { key1: 'dmFsdWUx', key2: 'dmFsdWUy' })
    expect(m.metadata.name).toBe(`db-${hash}`)
  })

  it("matches kubectl's --append-hash name for the same Secret (create_secret_test.go: foo-tf72c228m4)", () => {
    const m = buildSecret(
      spec({
        name: 'foo',
        type: 'Opaque',
        typeForHash: '',
        appendHash: true,
        entries: [e('key1', 'value1'), e('key2', 'value2')],
      }),
    )
    expect(m.metadata.name).toBe('foo-tf72c228m4')
    expect(m.type).toBe('Opaque')
  })

  it('typeForHash is what the hash covers; without it, the type', () => {
    const entries = [e('key1', 'value1')]
    const data = { key1: 'dmFsdWUx' }
    expect(
      buildSecret(spec({ name: 'foo', appendHash: true, entries, typeForHash: 'my-type' })).metadata.name,
    ).toBe(`foo-${kubectlSecretHash('foo', 'my-type', data)}`)
    expect(buildSecret(spec({ name: 'foo', appendHash: true, entries })).metadata.name).toBe(
      `foo-${kubectlSecretHash('foo', 'Opaque', data)}`,
    )
    // kubectl's foo-dg474f9t76 is "--type my-type" with no data, which buildSecret refuses; the type part is the same.
    expect(kubectlSecretHash('foo', 'my-type', {})).toBe('dg474f9t76')
  })

  it('with appendHash and immutable, the hash covers immutable: true', () => {
    const m = buildSecret(spec({ appendHash: true, immutable: true }))
    expect(m.metadata.name).toBe(`db-${kubectlSecretHash('db', 'Opaque', { password: 'czNjcmV0' }, true)}`)
    expect(m.metadata.name).not.toBe(`db-${kubectlSecretHash('db', 'Opaque', { password: 'czNjcmV0' })}`)
  })

  it('refuses an invalid name, and a name the hash suffix pushes over 253 characters', () => {
    expect(() => buildSecret(spec({ name: 'Bad_Name' }))).toThrow(/^invalid Secret name "Bad_Name"/)
    const long = 'a'.repeat(243)
    expect(() => buildSecret(spec({ name: long }))).not.toThrow()
    expect(() => buildSecret(spec({ name: long, appendHash: true }))).toThrow(/254 characters long/)
  })

  it('checks the entries first', () => {
    expect(() => buildSecret(spec({ entries: [] }))).toThrow(/no value to store/)
  })

  it('is pure: the same spec gives the same object', () => {
    const s = spec({ appendHash: true, labels: { a: 'b' } })
    expect(buildSecret(s)).toEqual(buildSecret(s))
  })

  // Regression (found by these tests, fixed in 26f7afa): data was a plain object, so the valid key
  // "__proto__" hit the __proto__ setter and was silently dropped from data and from the hash input.
  it('keeps a "__proto__" key, which the API accepts', () => {
    expect(checkEntries([e('__proto__', 'v')])).toBeUndefined()
    const m = buildSecret(spec({ entries: [e('__proto__', 'v'), e('a', 'b')] }))
    expect(Object.keys(m.data)).toEqual(['__proto__', 'a'])
    expect(JSON.parse(JSON.stringify(m)).data).toEqual(JSON.parse('{"__proto__":"dg==","a":"Yg=="}'))
  })
})
