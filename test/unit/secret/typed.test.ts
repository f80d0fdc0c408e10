import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UsageError } from '../../../src/errors/cli-error.js'
import type { SecretEntry } from '../../../src/secret/manifest.js'
import {
  DEFAULT_DOCKER_SERVER,
  dockerConfigJson,
  goJsonString,
  shapeSecret,
} from '../../../src/secret/typed.js'
import { thrown } from '../../helpers/errors.js'

const e = (key: string, value: string | Buffer, origin = `prompt`): SecretEntry => ({
  key,
  value: Buffer.from(value),
  origin,
})

describe('goJsonString: Go json.Marshal of a string', () => {
  // Expected outputs produced by Go's encoding/json.
  it.each([
    ['plain', '"plain"'],
    ['<a&b>', '"\\u003ca\\u0026b\\u003e"'],
    ['x\u2028y\u2029z', '"x\\u2028y\\u2029z"'],
    ['q"\\/', '"q\\"\\\\/"'],
    ['\b\f\n\r\t\x01\x1f\x7f', '"\\b\\f\\n\\r\\t\\u0001\\u001f\x7f"'],
    ['héllo ☃ 😀', '"héllo ☃ 😀"'],
    ['', '""'],
  ])('%j -> %s', (input, expected) => {
    expect(goJsonString(input)).toBe(expected)
  })
})

describe('dockerConfigJson', () => {
  it("is byte for byte kubectl's handleDockerCfgJSONContent (create_secret_docker_test.go inputs)", () => {
    expect(
      dockerConfigJson(
        'https://index.docker.io/v1/',
        'test-user',
        'test-password',
        'test-user@example.org',
      ).toString(),
    ).toBe(
      '{"auths":{"https://index.docker.io/v1/":{"username":"test-user","password":"test-password","email":"test-user@example.org","auth":"dGVzdC11c2VyOnRlc3QtcGFzc3dvcmQ="}}}',
    )
  })

  it('omits an empty email (omitempty)', () => {
    expect(dockerConfigJson('https://index.docker.io/v1/', 'test-user', 'test-password', '').toString()).toBe(
      '{"auths":{"https://index.docker.io/v1/":{"username":"test-user","password":"test-password","auth":"dGVzdC11c2VyOnRlc3QtcGFzc3dvcmQ="}}}',
    )
  })

  it('escapes <, >, & and U+2028 in every field as Go does, auth over the raw text', () => {
    expect(dockerConfigJson('https://reg.example.com/<x>', 'u<s>r', 'p&ss\u2028', 'a@b').toString()).toBe(
      '{"auths":{"https://reg.example.com/\\u003cx\\u003e":{"username":"u\\u003cs\\u003er","password":"p\\u0026ss\\u2028","email":"a@b","auth":"dTxzPnI6cCZzc+KAqA=="}}}',
    )
  })

  it('keeps auth even when username and password are empty', () => {
    expect(dockerConfigJson('srv', '', '', '').toString()).toBe('{"auths":{"srv":{"auth":"Og=="}}}')
  })
})

describe('shapeSecret: generic, basic-auth, ssh-auth', () => {
  it('generic keeps the entries and the type; kubectl hashes an empty type unless --type was given', () => {
    const entries = [e('a', '1')]
    expect(shapeSecret({ kind: 'generic', type: 'example.com/custom', explicitType: true }, entries)).toEqual(
      {
        type: 'example.com/custom',
        typeForHash: 'example.com/custom',
        entries,
        warnings: [],
      },
    )
    expect(shapeSecret({ kind: 'generic', type: 'Opaque', explicitType: false }, entries)).toEqual({
      type: 'Opaque',
      typeForHash: '',
      entries,
      warnings: [],
    })
    expect(shapeSecret({ kind: 'generic', type: 'Opaque', explicitType: true }, entries).typeForHash).toBe(
      'Opaque',
    )
  })

  it('typed Secrets hash their own type', () => {
    expect(shapeSecret({ kind: 'basic-auth' }, [e('username', 'u')]).typeForHash).toBe(
      'kubernetes.io/basic-auth',
    )
    expect(shapeSecret({ kind: 'ssh-auth' }, [e('ssh-privatekey', 'k')]).typeForHash).toBe(
      'kubernetes.io/ssh-auth',
    )
    expect(
      shapeSecret({ kind: 'docker-registry', server: 's', username: 'u' }, [e('password', 'p')]).typeForHash,
    ).toBe('kubernetes.io/dockerconfigjson')
  })

  it('basic-auth takes username or password', () => {
    expect(shapeSecret({ kind: 'basic-auth' }, [e('username', 'u')]).type).toBe('kubernetes.io/basic-auth')
    expect(shapeSecret({ kind: 'basic-auth' }, [e('password', 'p')]).entries.map((x) => x.key)).toEqual([
      'password',
    ])
  })

  it('basic-auth without username or password is refused', () => {
    const err = thrown(() => shapeSecret({ kind: 'basic-auth' }, [e('token', 'SECRETVALUE')]))
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe('a kubernetes.io/basic-auth Secret needs the key "username" or "password"')
    expect(err.message).not.toContain('SECRETVALUE')
  })

  it('ssh-auth needs ssh-privatekey', () => {
    expect(shapeSecret({ kind: 'ssh-auth' }, [e('ssh-privatekey', 'k')]).type).toBe('kubernetes.io/ssh-auth')
    expect(() => shapeSecret({ kind: 'ssh-auth' }, [e('id_rsa', 'k')])).toThrow(
      'a kubernetes.io/ssh-auth Secret needs the key "ssh-privatekey"',
    )
  })
})

describe('shapeSecret: docker-registry', () => {
  it('builds .dockerconfigjson from the password entry and zeroes the password buffer', () => {
    const password = e('password', 'test-password', 'stdin')
    const original = password.value
    const shaped = shapeSecret(
      {
        kind: 'docker-registry',
        server: DEFAULT_DOCKER_SERVER,
        username: 'test-user',
        email: 'test-user@example.org',
      },
      [password],
    )
    expect(shaped.type).toBe('kubernetes.io/dockerconfigjson')
    expect(shaped.entries).toHaveLength(1)
    expect(shaped.entries[0]?.key).toBe('.dockerconfigjson')
    expect(shaped.entries[0]?.origin).toBe('stdin')
    expect(shaped.entries[0]?.value.toString()).toBe(
      dockerConfigJson(
        DEFAULT_DOCKER_SERVER,
        'test-user',
        'test-password',
        'test-user@example.org',
      ).toString(),
    )
    expect([...original].every((b) => b === 0)).toBe(true)
  })

  it('without email, email is omitted', () => {
    const shaped = shapeSecret({ kind: 'docker-registry', server: 'r.example', username: 'u' }, [
      e('password', 'p'),
    ])
    expect(JSON.parse(shaped.entries[0]?.value.toString() ?? '')).toEqual({
      auths: { 'r.example': { username: 'u', password: 'p', auth: Buffer.from('u:p').toString('base64') } },
    })
  })

  it('refuses a missing password', () => {
    expect(() =>
      shapeSecret({ kind: 'docker-registry', server: 's', username: 'u' }, [e('pass', 'x')]),
    ).toThrow(/needs the registry password from a source, under the key "password"/)
  })

  it('refuses other keys, naming them', () => {
    const err = thrown(() =>
      shapeSecret({ kind: 'docker-registry', server: 's', username: 'u' }, [
        e('password', 'x'),
        e('extra', 'SECRETVALUE'),
      ]),
    )
    expect(err.message).toBe(
      '--docker-registry takes only the key "password" from sources; unexpected: extra',
    )
  })

  // Regression (found by these tests, fixed in 26f7afa): the password bytes were decoded as UTF-8 before
  // base64, so a non-UTF-8 password silently changed in "auth". kubectl base64-encodes the raw bytes.
  it('keeps the raw password bytes in auth, as kubectl does (Go vector: bytes 70 ff -> "dTpw/w==")', () => {
    const value = shapeSecret({ kind: 'docker-registry', server: 's', username: 'u' }, [
      e('password', Buffer.from([0x70, 0xff]), 'stdin'),
    ]).entries[0]?.value as Buffer
    // Go: {"auths":{"s":{"username":"u","password":"p\ufffd","auth":"dTpw/w=="}}}
    expect(JSON.parse(value.toString('utf8'))).toEqual({
      auths: { s: { username: 'u', password: 'p\ufffd', auth: 'dTpw/w==' } },
    })
    expect(
      JSON.parse(dockerConfigJson('s', 'u', Buffer.from([0x70, 0xff]), '').toString()).auths.s.auth,
    ).toBe('dTpw/w==')
  })

  it('the default server is Docker Hub', () => {
    expect(DEFAULT_DOCKER_SERVER).toBe('https://index.docker.io/v1/')
  })
})

describe('shapeSecret: tls', () => {
  let dir: string
  let certPem: Buffer
  let keyPem: Buffer
  let otherKeyPem: Buffer
  let ecCertPem: Buffer
  let ecKeyPem: Buffer
  let certDer: Buffer

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'safe-secret-tls-'))
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    keyPem = Buffer.from(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)
    otherKeyPem = Buffer.from(
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs1',
        format: 'pem',
      }) as string,
    )
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    ecKeyPem = Buffer.from(ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string)
    writeFileSync(path.join(dir, 'key.pem'), keyPem)
    writeFileSync(path.join(dir, 'ec.pem'), ecKeyPem)
    const req = (key: string, out: string, extra: string[] = []) =>
      execFileSync('openssl', [
        'req',
        '-x509',
        '-new',
        '-key',
        path.join(dir, key),
        '-subj',
        '/CN=safe-secret.test',
        '-days',
        '2',
        '-out',
        path.join(dir, out),
        ...extra,
      ])
    req('key.pem', 'cert.pem')
    req('ec.pem', 'ec-cert.pem')
    execFileSync('openssl', [
      'x509',
      '-in',
      path.join(dir, 'cert.pem'),
      '-outform',
      'DER',
      '-out',
      path.join(dir, 'cert.der'),
    ])
    certPem = readFileSync(path.join(dir, 'cert.pem'))
    ecCertPem = readFileSync(path.join(dir, 'ec-cert.pem'))
    certDer = readFileSync(path.join(dir, 'cert.der'))
  })

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  const DAY = 86_400_000

  it('accepts a matching RSA key (PKCS#8) with no warning', () => {
    const shaped = shapeSecret({ kind: 'tls' }, [e('tls.crt', certPem), e('tls.key', keyPem)])
    expect(shaped.type).toBe('kubernetes.io/tls')
    expect(shaped.typeForHash).toBe('kubernetes.io/tls')
    expect(shaped.warnings).toEqual([])
    expect(shaped.entries.map((x) => x.key)).toEqual(['tls.crt', 'tls.key'])
  })

  it('accepts a matching EC key (SEC1) and a DER certificate', () => {
    expect(shapeSecret({ kind: 'tls' }, [e('tls.crt', ecCertPem), e('tls.key', ecKeyPem)]).warnings).toEqual(
      [],
    )
    expect(shapeSecret({ kind: 'tls' }, [e('tls.crt', certDer), e('tls.key', keyPem)]).warnings).toEqual([])
  })

  it('refuses a key that does not match, naming both origins', () => {
    const err = thrown(() =>
      shapeSecret({ kind: 'tls' }, [
        e('tls.crt', certPem, 'file /c.pem'),
        e('tls.key', otherKeyPem, 'file /k.pem'),
      ]),
    )
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe(
      'tls.key (from file /k.pem) does not match the certificate in tls.crt (from file /c.pem)',
    )
  })

  it('refuses an EC key against an RSA certificate', () => {
    expect(() => shapeSecret({ kind: 'tls' }, [e('tls.crt', certPem), e('tls.key', ecKeyPem)])).toThrow(
      /does not match the certificate/,
    )
  })

  it('warns about an expired certificate', () => {
    const shaped = shapeSecret(
      { kind: 'tls' },
      [e('tls.crt', certPem), e('tls.key', keyPem)],
      new Date(Date.now() + 3 * DAY),
    )
    expect(shaped.warnings).toHaveLength(1)
    expect(shaped.warnings[0]).toMatch(
      /^the certificate in tls\.crt expired on \d{4}-\d\d-\d\dT.*Z \(subject CN=safe-secret\.test\)$/,
    )
  })

  it('warns about a certificate not valid yet', () => {
    const shaped = shapeSecret(
      { kind: 'tls' },
      [e('tls.crt', certPem), e('tls.key', keyPem)],
      new Date(Date.now() - DAY),
    )
    expect(shaped.warnings).toHaveLength(1)
    expect(shaped.warnings[0]).toMatch(/^the certificate in tls\.crt is not valid before /)
  })

  it('refuses a garbage certificate, naming the key and origin, never the value', () => {
    const err = thrown(() =>
      shapeSecret({ kind: 'tls' }, [
        e('tls.crt', 'GARBAGE-CERT-VALUE', 'file /tmp/c.pem'),
        e('tls.key', keyPem),
      ]),
    )
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe('tls.crt (from file /tmp/c.pem) is not a PEM or DER certificate')
    expect(err.message).not.toContain('GARBAGE')
  })

  it('refuses a garbage key, naming the key and origin, never the value', () => {
    const err = thrown(() =>
      shapeSecret({ kind: 'tls' }, [
        e('tls.crt', certPem),
        e('tls.key', 'GARBAGE-KEY-VALUE', 'environment variable K'),
      ]),
    )
    expect(err.message).toMatch(/^tls\.key \(from environment variable K\) is not a private key/)
    expect(err.message).not.toContain('GARBAGE')
  })

  it('refuses a missing tls.crt or tls.key', () => {
    expect(() => shapeSecret({ kind: 'tls' }, [e('tls.key', keyPem)])).toThrow(
      'a kubernetes.io/tls Secret needs the key "tls.crt"',
    )
    expect(() => shapeSecret({ kind: 'tls' }, [e('tls.crt', certPem)])).toThrow(
      'a kubernetes.io/tls Secret needs the key "tls.key"',
    )
  })
})
