import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { kubectlSecretHash } from '../../../src/secret/hash.js'
import { dockerConfigJson } from '../../../src/secret/typed.js'

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64')
const data = (entries: Record<string, string | Buffer>) =>
  Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, b64(v)]))

describe('kubectlSecretHash: k8s.io/kubectl/pkg/util/hash TestSecretHash vectors', () => {
  // Secrets with an empty name, as in hash_test.go.
  it('empty data', () => {
    expect(kubectlSecretHash('', 'my-type', {})).toBe('t75bgf6ctb')
  })

  it('one key', () => {
    expect(kubectlSecretHash('', 'my-type', data({ one: '' }))).toBe('74bd68bm66')
  })

  it('three keys (sorting order)', () => {
    expect(kubectlSecretHash('', 'my-type', data({ two: '2', one: '', three: '3' }))).toBe('dgcb6h9tmk')
  })

  it('the key order of the data object does not matter', () => {
    const a = kubectlSecretHash('', 'my-type', data({ one: '', three: '3', two: '2' }))
    const b = kubectlSecretHash('', 'my-type', data({ two: '2', three: '3', one: '' }))
    expect(a).toBe(b)
  })
})

describe('kubectlSecretHash: TestEncodeSecret encodings, hashed', () => {
  // encodeHash(sha256(encoding)) of the exact strings hash_test.go expects from encodeSecret.
  const encodeHash = (encoded: string) => {
    const hex = createHash('sha256').update(encoded).digest('hex').slice(0, 10)
    const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' }
    return [...hex].map((c) => map[c] ?? c).join('')
  }

  it.each([
    [{}, '{"data":{},"kind":"Secret","name":"","type":"my-type"}'],
    [{ one: '' }, '{"data":{"one":""},"kind":"Secret","name":"","type":"my-type"}'],
    [
      { two: '2', one: '', three: '3' },
      '{"data":{"one":"","three":"Mw==","two":"Mg=="},"kind":"Secret","name":"","type":"my-type"}',
    ],
  ])('%j hashes like %s', (d, encoded) => {
    expect(kubectlSecretHash('', 'my-type', data(d))).toBe(encodeHash(encoded))
  })

  it('immutable is encoded between data and kind, only when set', () => {
    expect(kubectlSecretHash('n', 't', data({ a: 'x' }), true)).toBe(
      encodeHash('{"data":{"a":"eA=="},"immutable":true,"kind":"Secret","name":"n","type":"t"}'),
    )
    expect(kubectlSecretHash('n', 't', data({ a: 'x' }), false)).toBe(
      encodeHash('{"data":{"a":"eA=="},"immutable":false,"kind":"Secret","name":"n","type":"t"}'),
    )
    expect(kubectlSecretHash('n', 't', data({ a: 'x' }))).toBe(
      encodeHash('{"data":{"a":"eA=="},"kind":"Secret","name":"n","type":"t"}'),
    )
  })

  it('names and types are escaped as Go does (HTML-safe)', () => {
    expect(kubectlSecretHash('a<b>&c', 't', {})).toBe(
      encodeHash('{"data":{},"kind":"Secret","name":"a\\u003cb\\u003e\\u0026c","type":"t"}'),
    )
  })
})

describe('kubectlSecretHash: the names kubectl create secret --append-hash gives (create_secret_test.go)', () => {
  it.each([
    ['foo', '', {}, '949tdgdkgg'],
    ['foo', 'my-type', {}, 'dg474f9t76'],
    ['foo', '', { key1: 'value1', key2: 'value2' }, 'tf72c228m4'],
    ['foo', '', { key1: '=value1' }, 'fdcc8tkhh5'],
    ['foo', '', { foo1: 'hello world', foo2: 'hello world' }, 'hbkh2cdb57'],
    ['foo', '', { foo1: Buffer.from([0xff, 0xfd]), foo2: Buffer.from([0xff, 0xfd]) }, 'mkhg4ktk4d'],
    ['valid_env', '', { key1: 'value1', key2: 'value2' }, 'bkb2m2965h'],
    ['two_valid_env', '', { key1: 'value1', key2: 'value2', key3: 'value3' }, 'gd56gct5cf'],
    ['get_env', '', { g_key1: '1', g_key2: '' }, '68mt8f2kkt'],
    ['valid_with_space', '', { key1: '  value1' }, 'bhkb4gfck6'],
  ] as const)('%s type %j %j -> %s', (name, type, d, hash) => {
    expect(kubectlSecretHash(name, type, data(d as Record<string, string | Buffer>))).toBe(hash)
  })

  it('docker-registry secrets (create_secret_docker_test.go)', () => {
    const server = 'https://index.docker.io/v1/'
    const withEmail = dockerConfigJson(server, 'test-user', 'test-password', 'test-user@example.org')
    const noEmail = dockerConfigJson(server, 'test-user', 'test-password', '')
    const type = 'kubernetes.io/dockerconfigjson'
    expect(kubectlSecretHash('foo', type, { '.dockerconfigjson': b64(withEmail) })).toBe('548cm7fgdh')
    expect(kubectlSecretHash('foo', type, { '.dockerconfigjson': b64(noEmail) })).toBe('bff5bt4f92')
  })

  it('is 10 characters with no 0, 1, 3, a or e', () => {
    for (let i = 0; i < 200; i++) {
      const h = kubectlSecretHash(`n${i}`, 'Opaque', data({ k: String(i) }))
      expect(h).toMatch(/^[2456789bcdfghkmt]{10}$/)
    }
  })
})
