/**
 * The strace no-leak check of `create`, for the keychain: a unique marker
 * stored with secret-tool goes from the Secret Service into a Secret without
 * appearing in any argv, any write() (the TLS socket carries ciphertext), any
 * file opened for writing, or any output. The value crosses the D-Bus socket
 * AES-encrypted (dh-ietf1024-sha256-aes128-cbc-pkcs7), so it shows in no
 * syscall at all. `keychain set` is checked the same way: the marker is read
 * from stdin, and then only ever leaves encrypted.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { parse } from 'yaml'
import { createNamespace, getSecret, secretBytes, uniqueName } from '../helpers/cluster-api.js'
import { findViolations, markerForms, safeSecretUnderStrace } from '../helpers/strace.js'
import { marker } from '../helpers/values.js'
import { storeEntry } from '../setup/keyring.js'

const cluster = inject('cluster')
const keyring = inject('keyring')

function traced(args: string[], stdin?: string) {
  return safeSecretUnderStrace(cluster, args, { stdin, env: keyring.env })
}

function secretTool(args: string[], input?: string): string {
  return execFileSync('secret-tool', args, {
    env: { ...process.env, ...keyring.env },
    input,
    encoding: 'utf8',
    timeout: 10_000,
  })
}

let ns: string
beforeAll(async () => {
  ns = await createNamespace(cluster, 'keychain-noleak')
})

describe('--from-keychain under strace', () => {
  for (const dryRun of ['none', 'client', 'server']) {
    it(`--dry-run=${dryRun}: the value is in no argv, no write, no file, no output`, async () => {
      const value = marker('LEAKMARK')
      const service = `https://leak-${randomBytes(4).toString('hex')}.example.com:8200/v1`
      storeEntry(keyring, { service, account: 'ci', value })
      const name = uniqueName('kc-leak')
      const { result, lines } = await traced([
        'create',
        name,
        `--from-keychain=token=${service}/ci`,
        '-n',
        ns,
        `--dry-run=${dryRun}`,
        '-o',
        'yaml',
      ])
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(findViolations(lines, value)).toEqual([])
      // Encrypted on the bus and inside TLS to the API server: in no syscall in plaintext at all.
      expect(lines.filter((l) => markerForms(value).some((f) => l.includes(f)))).toEqual([])
      // The trace is real: it saw the D-Bus conversation.
      expect(lines.some((l) => l.includes('org.freedesktop.Secret.Item') && l.includes('GetSecret'))).toBe(
        true,
      )
      expect(result.stdout).not.toContain(value)
      expect(parse(result.stdout).data.token).toBe(`<redacted: ${value.length} bytes>`)
      const secret = await getSecret(cluster, ns, name)
      if (dryRun === 'none')
        expect(secretBytes(secret ?? { metadata: {} as never }, 'token')?.toString()).toBe(value)
      else expect(secret).toBeUndefined()
    })
  }

  it('a failure (missing entry next to a stored one) leaks nothing either', async () => {
    const value = marker('LEAKMARK')
    const service = `leak-fail-${randomBytes(4).toString('hex')}`
    storeEntry(keyring, { service, account: 'present', value })
    const name = uniqueName('kc-leak-fail')
    const { result, lines } = await traced([
      'create',
      name,
      `--from-keychain=a=${service}/present`,
      `--from-keychain=b=${service}/absent`,
      '-n',
      ns,
    ])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/no keychain entry for service ".*" account "absent"/)
    expect(result.stdout + result.stderr).not.toContain(value)
    expect(findViolations(lines, value)).toEqual([])
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
  })
})

describe('keychain set under strace', () => {
  it('reads the value from stdin, then it leaves only encrypted: no plaintext write, no file', async () => {
    const value = marker('LEAKMARK')
    const service = `leak-set-${randomBytes(4).toString('hex')}`
    const { result, lines } = await traced(['keychain', 'set', service, 'ci'], value)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(findViolations(lines, value)).toEqual([])
    // It really went through the traced process: read from stdin.
    expect(lines.some((l) => l.includes(value) && /\b(read|pread64)\(/.test(l))).toBe(true)
    expect(secretTool(['lookup', 'service', service, 'account', 'ci'])).toBe(value)
  })
})
