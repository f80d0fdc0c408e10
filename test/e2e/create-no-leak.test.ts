import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { parse, stringify } from 'yaml'
import {
  createNamespace,
  getSecret,
  listSecrets,
  requireSecret,
  secretBytes,
  uniqueName,
} from '../helpers/cluster-api.js'
import { findViolations, safeSecretUnderStrace } from '../helpers/strace.js'
import { marker, tempDir } from '../helpers/values.js'

const cluster = inject('cluster')
const kubectlPath = path.join(cluster.binDir, 'kubectl')
/**
 * The CI-injected variable of --from-env is in kubectl's environment, and kubectl
 * passes it to the plugin (through the shebang's /usr/bin/env, which looks for
 * node on PATH). Those execs of the CLI itself may carry it; no other may.
 */
function isTheCliItself(file: string, argv: string): boolean {
  if (file === kubectlPath) return true
  return /\/(kubectl-safe_secret|env|node)$/.test(file) && argv.includes('/bin/kubectl-safe_secret"')
}

let ns: string
beforeAll(async () => {
  ns = await createNamespace(cluster, 'noleak')
})

describe('each source, under strace', () => {
  const sources: {
    title: string
    setup: (value: string, dir: string) => { args: string[]; stdin?: string; env?: Record<string, string> }
    key: string
  }[] = [
    { title: '--from-stdin', key: 'k', setup: (v) => ({ args: ['--from-stdin=k'], stdin: v }) },
    {
      title: '--from-file',
      key: 'k',
      setup: (v, d) => {
        writeFileSync(path.join(d, 'value'), v)
        return { args: [`--from-file=k=${path.join(d, 'value')}`] }
      },
    },
    {
      title: '--from-env-file',
      key: 'k',
      setup: (v, d) => {
        writeFileSync(path.join(d, 'env'), `k=${v}\n`)
        return { args: [`--from-env-file=${path.join(d, 'env')}`] }
      },
    },
    {
      title: '--from-env',
      key: 'k',
      setup: (v) => ({ args: ['--from-env=k=CI_SECRET'], env: { CI_SECRET: v } }),
    },
    {
      title: '--stdin-format=env',
      key: 'k',
      setup: (v) => ({ args: ['--stdin-format=env'], stdin: `k=${v}\n` }),
    },
    {
      title: '--stdin-format=json',
      key: 'k',
      setup: (v) => ({ args: ['--stdin-format=json'], stdin: JSON.stringify({ k: v }) }),
    },
  ]

  for (const source of sources) {
    for (const dryRun of ['none', 'client', 'server']) {
      it(`${source.title}, --dry-run=${dryRun}`, async () => {
        const value = marker('LEAKMARK')
        const dir = tempDir('noleak')
        const { args, stdin, env } = source.setup(value, dir)
        const name = uniqueName('leak')
        const { result, lines } = await safeSecretUnderStrace(
          cluster,
          ['create', name, ...args, '-n', ns, `--dry-run=${dryRun}`, '-o', 'yaml'],
          {
            stdin,
            env,
          },
        )
        expect(result.stderr).toBe('')
        expect(result.code).toBe(0)
        expect(findViolations(lines, value, { envMayReach: isTheCliItself })).toEqual([])
        // The marker really went through the traced process: it was read.
        expect(lines.some((l) => l.includes(value) && /\b(read|pread64)\(/.test(l))).toBe(
          source.title !== '--from-env',
        )
        expect(result.stdout + result.stderr).not.toContain(value)
        expect(parse(result.stdout).data[source.key]).toBe(`<redacted: ${value.length} bytes>`)
        const secret = await getSecret(cluster, ns, name)
        if (dryRun === 'none')
          expect(secretBytes(secret as NonNullable<typeof secret>, source.key)?.toString()).toBe(value)
        else expect(secret).toBeUndefined()
      })
    }
  }
})

describe('failures, under strace', () => {
  it('a duplicate key, an existing Secret (409) and a Forbidden namespace (403) leak nothing', async () => {
    const errNs = await createNamespace(cluster, 'noleak-err')
    const existing = uniqueName('exists')
    const first = await safeSecretUnderStrace(cluster, ['create', existing, '--from-stdin=k', '-n', errNs], {
      stdin: 'not-the-marker',
    })
    expect(first.result.code).toBe(0)
    const attempts: { args: string[]; message: RegExp; stdin?: string; env?: Record<string, string> }[] = [
      { args: [uniqueName('dup'), '--from-stdin=k', '--from-env=k=V'], message: /another key by that name/ },
      { args: [existing, '--from-stdin=k'], message: /AlreadyExists/ },
      { args: [uniqueName('forbidden'), '--from-stdin=k', '--context=limited'], message: /Forbidden/ },
      { args: [uniqueName('badkey'), '--from-stdin=bad/key'], message: /not a valid key name/ },
    ]
    for (const attempt of attempts) {
      const value = marker('LEAKMARK')
      const { result, lines } = await safeSecretUnderStrace(
        cluster,
        ['create', ...attempt.args, '-n', errNs],
        {
          stdin: value,
          env: { V: value },
        },
      )
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(attempt.message)
      expect(result.stdout + result.stderr).not.toContain(value)
      expect(findViolations(lines, value, { envMayReach: isTheCliItself })).toEqual([])
    }
    const left = await listSecrets(cluster, errNs)
    expect(left.map((s) => s.metadata.name)).toEqual([existing])
  })
})

describe('child processes', () => {
  it('an exec credential plugin started by the CLI does not inherit the --from-env variable', async () => {
    const value = marker('LEAKMARK')
    const dir = tempDir('exec')
    const plugin = path.join(dir, 'credential-plugin')
    // The plugin records the names (not the values) of the variables it received.
    writeFileSync(
      plugin,
      `#!/bin/sh\nenv | cut -d= -f1 > '${dir}/names'\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${cluster.tokens.admin}"}}'\n`,
    )
    chmodSync(plugin, 0o755)
    const kc = parse(readFileSync(cluster.kubeconfig, 'utf8'))
    kc.users.push({
      name: 'exec',
      user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin } },
    })
    kc.contexts.push({ name: 'exec', context: { cluster: 'local', user: 'exec' } })
    writeFileSync(path.join(dir, 'kc'), stringify(kc))
    const name = uniqueName('execenv')
    const { result, lines } = await safeSecretUnderStrace(
      cluster,
      [
        'create',
        name,
        '--from-env=k=CI_SECRET',
        '--kubeconfig',
        path.join(dir, 'kc'),
        '--context',
        'exec',
        '-n',
        ns,
      ],
      { env: { CI_SECRET: value } },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const names = readFileSync(path.join(dir, 'names'), 'utf8').split('\n')
    expect(names).toContain('PATH')
    expect(names).not.toContain('CI_SECRET')
    // strace agrees: the plugin's execve carries no marker (only kubectl's and the CLI's do).
    const execs = lines.filter((l) => /^\d+\s+execve\(/.test(l) && l.includes(value))
    expect(execs.length).toBeGreaterThan(0)
    for (const line of execs) {
      const [, file = '', argv = ''] = /execve\("([^"]*)", \[(.*?)\]/.exec(line) ?? []
      expect(isTheCliItself(file, argv)).toBe(true)
    }
    expect(secretBytes(await requireSecret(cluster, ns, name), 'k')?.toString()).toBe(value)
  })
})
