/**
 * The keychain end to end, with the real Secret Service (gnome-keyring on a
 * private bus) and the real control plane: exact bytes from secret-tool into a
 * Secret, and the set/list/delete helpers from stdin and from a real terminal.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createNamespace, getSecret, secretBytes, uniqueName } from '../helpers/cluster-api.js'
import { pluginEnv, safeSecret } from '../helpers/plugin.js'
import { Terminal } from '../helpers/terminal.js'
import { storeEntry } from '../setup/keyring.js'

const cluster = inject('cluster')
const keyring = inject('keyring')

function secretTool(args: string[]): { code: number; stdout: Buffer } {
  try {
    const stdout = execFileSync('secret-tool', args, {
      env: { ...process.env, ...keyring.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 10_000,
    })
    return { code: 0, stdout }
  } catch (err) {
    const e = err as { status?: number; stdout?: Buffer }
    return { code: e.status ?? -1, stdout: e.stdout ?? Buffer.alloc(0) }
  }
}

function lookup(service: string, account: string): { code: number; stdout: Buffer } {
  return secretTool(['lookup', 'service', service, 'account', account])
}

let ns: string
beforeAll(async () => {
  ns = await createNamespace(cluster, 'keychain')
})

describe('create --from-keychain', () => {
  const cases: [string, Buffer][] = [
    ['ASCII', Buffer.from(`tok-${randomBytes(8).toString('hex')}`)],
    ['UTF-8', Buffer.from(`pässwörd ключ 鍵 🔑 ${randomBytes(4).toString('hex')}`, 'utf8')],
    ['newlines', Buffer.from(`line one\nline two\r\n\n${randomBytes(4).toString('hex')}\n`, 'utf8')],
  ]
  for (const [kind, value] of cases) {
    it(`puts a ${kind} value stored with secret-tool into the Secret byte for byte`, async () => {
      const service = uniqueName('https://vault.example.com:8200/v1/kv')
      storeEntry(keyring, { service, account: 'deploy', value })
      const name = uniqueName('kc')
      const result = await safeSecret(
        cluster,
        ['create', name, `--from-keychain=token=${service}/deploy`, '-n', ns],
        {
          env: keyring.env,
        },
      )
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(result.stdout + result.stderr).not.toContain(value.toString('utf8').trim())
      const secret = await mustGetSecret(name)
      expect(secretBytes(secret, 'token')?.equals(value)).toBe(true)
    })
  }

  it('repeats, takes the explicit service=,account= form, and combines with --from-stdin', async () => {
    const service = uniqueName('db')
    const a = Buffer.from(`a-${randomBytes(6).toString('hex')}`)
    const b = Buffer.from(`b-${randomBytes(6).toString('hex')}`)
    storeEntry(keyring, { service, account: 'alice', value: a })
    storeEntry(keyring, { service, account: 'team/bob', value: b })
    const name = uniqueName('kc-multi')
    const result = await safeSecret(
      cluster,
      [
        'create',
        name,
        `--from-keychain=alice=${service}/alice`,
        `--from-keychain=bob=service=${service},account=team/bob`,
        '--from-stdin=other',
        '-n',
        ns,
      ],
      { env: keyring.env, stdin: 'from-stdin' },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const secret = await mustGetSecret(name)
    expect(secretBytes(secret, 'alice')?.equals(a)).toBe(true)
    expect(secretBytes(secret, 'bob')?.equals(b)).toBe(true)
    expect(secretBytes(secret, 'other')?.toString()).toBe('from-stdin')
  })

  it('refuses a malformed --from-keychain before touching the keychain or the cluster', async () => {
    const name = uniqueName('kc-bad')
    const result = await safeSecret(cluster, ['create', name, '--from-keychain=token=no-account', '-n', ns], {
      env: keyring.env,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/names no account/)
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
  })
})

describe('keychain set | list | delete', () => {
  it('set from stdin stores what secret-tool lookup returns; list shows the account only; delete removes it', async () => {
    const service = uniqueName('https://registry.example.com:5000/ci')
    const value = `stdin-${randomBytes(8).toString('hex')} ü`
    const set = await safeSecret(cluster, ['keychain', 'set', service, 'robot'], {
      env: keyring.env,
      stdin: `${value}\n`,
    })
    expect(set.stderr).toBe('')
    expect(set.code).toBe(0)
    expect(set.stdout).toContain('created')
    const found = lookup(service, 'robot')
    expect(found.code).toBe(0)
    expect(found.stdout.toString('utf8')).toBe(value)

    const again = await safeSecret(cluster, ['keychain', 'set', service, 'robot'], {
      env: keyring.env,
      stdin: 'other',
    })
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/already exists/)
    expect(again.stderr).toMatch(/--overwrite/)
    expect(lookup(service, 'robot').stdout.toString('utf8')).toBe(value)

    const replaced = await safeSecret(cluster, ['keychain', 'set', service, 'robot', '--overwrite'], {
      env: keyring.env,
      stdin: 'replaced',
    })
    expect(replaced.code).toBe(0)
    expect(lookup(service, 'robot').stdout.toString('utf8')).toBe('replaced')

    storeEntry(keyring, { service, account: 'second', value: 'x' })
    const list = await safeSecret(cluster, ['keychain', 'list', service], { env: keyring.env })
    expect(list.code).toBe(0)
    expect(list.stdout).toBe('robot\nsecond\n')
    expect(list.stdout + list.stderr).not.toContain('replaced')

    const del = await safeSecret(cluster, ['keychain', 'delete', service, 'robot'], { env: keyring.env })
    expect(del.code).toBe(0)
    expect(del.stdout).toContain('deleted')
    expect(lookup(service, 'robot').code).not.toBe(0)
    const delAgain = await safeSecret(cluster, ['keychain', 'delete', service, 'robot'], { env: keyring.env })
    expect(delAgain.code).toBe(1)
    expect(delAgain.stderr).toContain(`no keychain entry for service "${service}" account "robot"`)
    const ignored = await safeSecret(
      cluster,
      ['keychain', 'delete', service, 'robot', '--ignore-not-found'],
      {
        env: keyring.env,
      },
    )
    expect(ignored.code).toBe(0)
    expect((await safeSecret(cluster, ['keychain', 'list', service], { env: keyring.env })).stdout).toBe(
      'second\n',
    )
  })

  it('set refuses an empty value and stores nothing', async () => {
    const service = uniqueName('empty')
    const result = await safeSecret(cluster, ['keychain', 'set', service, 'a'], {
      env: keyring.env,
      stdin: '',
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/value is empty/)
    expect(lookup(service, 'a').code).not.toBe(0)
  })

  it('set asks in a real terminal (tmux), shows nothing of what is typed, and secret-tool reads it back', async () => {
    const service = uniqueName('https://tty.example.com/x')
    const value = `typed-${randomBytes(8).toString('hex')}`
    const term = new Terminal({ ...pluginEnv(cluster), ...keyring.env, TERM: 'xterm-256color' })
    try {
      term.start(`kubectl safe-secret keychain set '${service}' operator`)
      await term.waitFor(/Value for service/, 15_000)
      term.type(value)
      term.press('Enter')
      expect(await term.exitCode(15_000)).toBe(0)
      const shown = term.screen()
      expect(shown).toContain('created')
      expect(shown).not.toContain(value)
      expect(shown).not.toContain(value.slice(0, 8))
      const found = lookup(service, 'operator')
      expect(found.code).toBe(0)
      expect(found.stdout.toString('utf8')).toBe(value)
    } finally {
      term.close()
    }
  })
})

describe('keychain set in a terminal, interrupted', () => {
  it('Ctrl-C at the prompt exits 130 and stores nothing', async () => {
    const service = uniqueName('interrupted')
    const term = new Terminal({ ...pluginEnv(cluster), ...keyring.env, TERM: 'xterm-256color' })
    try {
      term.start(`kubectl safe-secret keychain set '${service}' operator`)
      await term.waitFor(/Value for service/, 15_000)
      term.type('half-typed')
      term.press('C-c')
      expect(await term.exitCode(15_000)).toBe(130)
      expect(term.screen()).not.toContain('half-typed')
      expect(lookup(service, 'operator').code).not.toBe(0)
    } finally {
      term.close()
    }
  })
})

async function mustGetSecret(name: string) {
  const secret = await getSecret(cluster, ns, name)
  if (!secret) throw new Error(`Secret ${ns}/${name} was not created`)
  return secret
}
