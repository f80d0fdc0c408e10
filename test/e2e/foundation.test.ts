/**
 * The foundation's acceptance checks, against the real control plane and the
 * real kubectl: RBAC and garbage collection are the real thing, kubectl finds
 * the plugin, and every connection flag reaches the right cluster, user and
 * namespace (proved with the API server's own SelfSubjectReview).
 */
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { adminRequest, TEAM_NAMESPACE } from '../cluster/control-plane.js'
import { createNamespace, getSecret, uniqueName, waitUntil } from '../helpers/cluster-api.js'
import { installOclifUserPlugin } from '../helpers/oclif-user-plugin.js'
import { kubectl, pluginBinDir, repoRoot, run, safeSecret } from '../helpers/plugin.js'
import { tempDir } from '../helpers/values.js'

const cluster = inject('cluster')

interface WhoAmI {
  username: string
  groups: string[]
  namespace: string
  context?: string
  server: string
}

async function whoami(args: string[], env: Record<string, string | undefined> = {}): Promise<WhoAmI> {
  const res = await safeSecret(cluster, ['whoami', '-o', 'json', ...args], { env })
  expect(res.stderr).toBe('')
  expect(res.code).toBe(0)
  return JSON.parse(res.stdout) as WhoAmI
}

/** The test kubeconfig as an object, to derive variants from. */
function baseKubeconfig(): Record<string, unknown> & {
  users: { name: string; user: Record<string, unknown> }[]
  contexts: { name: string; context: Record<string, string> }[]
  clusters: { name: string; cluster: Record<string, unknown> }[]
} {
  return parse(readFileSync(cluster.kubeconfig, 'utf8'))
}

describe('the control plane is real', () => {
  it('as limited, creating a Job in team-a is Forbidden while creating a Secret there succeeds', async () => {
    const job = await kubectl(cluster, [
      '--context=limited',
      'create',
      'job',
      uniqueName('j'),
      '--image=registry.k8s.io/pause',
      '-n',
      TEAM_NAMESPACE,
    ])
    expect(job.code).toBe(1)
    expect(job.stderr).toMatch(/forbidden: User "limited" cannot create resource "jobs"/)

    const name = uniqueName('limited-ok')
    const secret = await safeSecret(cluster, ['create', name, '--from-stdin=k', '--context=limited'], {
      stdin: 'v',
    })
    expect(secret.stderr).toBe('')
    expect(secret.code).toBe(0)
    expect(await getSecret(cluster, TEAM_NAMESPACE, name)).toBeDefined()
  })

  it('as outsider, listing Secrets is Forbidden (403)', async () => {
    const res = await adminRequest(
      cluster,
      'GET',
      '/api/v1/namespaces/default/secrets',
      undefined,
      cluster.tokens.outsider,
    )
    expect(res.status).toBe(403)
    const viaKubectl = await kubectl(cluster, ['--context=outsider', 'get', 'secrets'])
    expect(viaKubectl.code).toBe(1)
    expect(viaKubectl.stderr).toContain('Forbidden')
  })

  it('the garbage collector removes a Secret whose owner Job is deleted, within 30 s', async () => {
    const ns = await createNamespace(cluster, 'gc')
    const job = await adminRequest(cluster, 'POST', `/apis/batch/v1/namespaces/${ns}/jobs`, {
      metadata: { name: 'owner' },
      spec: {
        suspend: true,
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'registry.k8s.io/pause' }] },
        },
      },
    })
    expect(job.status).toBe(201)
    const uid = JSON.parse(job.body).metadata.uid as string
    const secret = await adminRequest(cluster, 'POST', `/api/v1/namespaces/${ns}/secrets`, {
      metadata: {
        name: 'owned',
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'owner', uid }],
      },
      data: { k: 'dg==' },
    })
    expect(secret.status).toBe(201)
    const del = await adminRequest(cluster, 'DELETE', `/apis/batch/v1/namespaces/${ns}/jobs/owner`, {
      propagationPolicy: 'Background',
    })
    expect(del.status).toBe(200)
    const took = await waitUntil(async () => (await getSecret(cluster, ns, 'owned')) === undefined, 30_000)
    expect(took).toBeLessThan(30_000)
  })
})

describe('kubectl finds the plugin', () => {
  it("never loads oclif's user plugins, which would run their code next to the values", async () => {
    const home = tempDir('home')
    const plugin = installOclifUserPlugin(home)
    // Control: oclif on its own defaults loads the plugin and runs its hook.
    const control = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { execute } = await import('@oclif/core'); await execute({ args: ['version', '--client'], dir: ${JSON.stringify(`file://${path.join(pluginBinDir, 'kubectl-safe_secret')}`)} })`,
      ],
      { env: { HOME: home, PATH: process.env.PATH }, cleanEnv: true, cwd: repoRoot },
    )
    expect(control.code).toBe(0)
    expect(plugin.ran()).toBe(true)
    rmSync(plugin.marker)
    for (const args of [
      ['version', '--client'],
      ['whoami'],
      ['create', uniqueName('up'), '--from-stdin=k'],
    ]) {
      const res = await safeSecret(cluster, args, { env: { HOME: home }, stdin: 'value' })
      expect(res.code, res.stderr).toBe(0)
      expect(plugin.ran()).toBe(false)
    }
  })

  it('kubectl safe-secret --help and kubectl safe_secret --help reach it, with kubectl-style usage', async () => {
    for (const name of ['safe-secret', 'safe_secret']) {
      const res = await kubectl(cluster, [name, '--help'])
      expect(res.code).toBe(0)
      expect(res.stdout).toContain('kubectl safe-secret [command] [options]')
      expect(res.stdout).toContain('create')
      expect(res.stdout).not.toContain('kubectl-safe_secret')
    }
    const create = await kubectl(cluster, ['safe-secret', 'create', '--help'])
    expect(create.stdout).toContain('kubectl safe-secret create NAME [options]')
  })

  it('answers help in every form kubectl users type, and `help CMD` equals `CMD --help`', async () => {
    const flag = await kubectl(cluster, ['safe-secret', 'keychain', 'set', '--help'])
    const short = await kubectl(cluster, ['safe-secret', 'keychain', 'set', '-h'])
    const word = await kubectl(cluster, ['safe-secret', 'help', 'keychain', 'set'])
    expect(flag.code).toBe(0)
    expect(flag.stdout).toContain('kubectl safe-secret keychain set SERVICE ACCOUNT [options]')
    expect(short.stdout).toBe(flag.stdout)
    expect(word.stdout).toBe(flag.stdout)
    // A topic on its own lists its commands.
    const topic = await kubectl(cluster, ['safe-secret', 'keychain'])
    expect(topic.code).toBe(0)
    expect(topic.stdout).toMatch(/Available Commands:\n {2}delete +Remove an entry/)
  })

  it('an unknown command fails with exit 1 and a suggestion, as kubectl does', async () => {
    const res = await kubectl(cluster, ['safe-secret', 'crate', 'x', '--from-stdin=k'])
    expect(res.code).toBe(1)
    expect(res.stdout).toBe('')
    expect(res.stderr).toBe(
      'error: unknown command "crate" for "kubectl safe-secret"\n' +
        'hint: did you mean "create"? see \'kubectl safe-secret --help\' for the list of commands\n',
    )
    // A word that does not look like a command (it may be a value typed in the wrong place) is not echoed.
    const value = await kubectl(cluster, ['safe-secret', 'keychain', 'S3cr3t!value'])
    expect(value.code).toBe(1)
    expect(value.stderr).not.toContain('S3cr3t')
    expect(value.stderr).toContain(
      'unknown command (not shown, in case it is a value) for "kubectl safe-secret keychain"',
    )
  })

  it("usage errors are one kubectl-worded line, exit 1, and a hint naming the command's help", async () => {
    const cases: [string[], string][] = [
      [['create'], 'error: missing required argument NAME'],
      [['keychain', 'set', 'svc'], 'error: missing required argument ACCOUNT'],
      [['create', 'x', '--from-stdin'], 'error: flag needs an argument: --from-stdin'],
      [
        ['create', 'x', '--from-stdin=k', '--ttl=5m', '--expires-at=2030-01-01T00:00:00Z'],
        'error: --expires-at and --ttl cannot be used together',
      ],
      [
        ['create', 'x', '--from-stdin=k', '-o', 'jsno'],
        'error: invalid argument "jsno" for "--output" flag: must be one of name, json, yaml',
      ],
    ]
    for (const [args, message] of cases) {
      const res = await kubectl(cluster, ['safe-secret', ...args])
      expect(res.code, args.join(' ')).toBe(1)
      expect(res.stderr.split('\n')[0], args.join(' ')).toBe(message)
      expect(res.stderr, args.join(' ')).toContain(
        `hint: see 'kubectl safe-secret ${args[0] === 'keychain' ? 'keychain set' : 'create'} --help' for usage`,
      )
    }
    const stray = await kubectl(cluster, ['safe-secret', 'list', 'Hunter2Value'])
    expect(stray.code).toBe(1)
    expect(stray.stderr).toMatch(/^error: unexpected argument \(not shown, in case it is a value\)/)
    expect(stray.stderr).not.toContain('Hunter2Value')
  })

  it('kubectl plugin list shows the plugin without a warning', async () => {
    const res = await kubectl(cluster, ['plugin', 'list'])
    expect(res.stdout).toContain(path.join(pluginBinDir, 'kubectl-safe_secret'))
    expect(res.stderr).not.toMatch(/warning/i)
    expect(res.code).toBe(0)
  })
})

describe('connection flags reach the right cluster, user and namespace', () => {
  it('takes the connection flags before the command too, as kubectl does', async () => {
    const res = await kubectl(cluster, [
      'safe-secret',
      '--context',
      'limited',
      '-n',
      'team-a',
      'whoami',
      '-o',
      'json',
    ])
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(JSON.parse(res.stdout)).toMatchObject({
      username: 'limited',
      namespace: 'team-a',
      context: 'limited',
    })
  })

  it('uses the current context by default, and --context picks another with its namespace', async () => {
    const admin = await whoami([])
    expect(admin).toMatchObject({
      username: 'admin',
      namespace: 'default',
      context: 'admin',
      server: cluster.server,
    })
    expect(admin.groups).toContain('system:masters')
    const limited = await whoami(['--context', 'limited'])
    expect(limited).toMatchObject({ username: 'limited', namespace: TEAM_NAMESPACE, context: 'limited' })
  })

  it('-n overrides the context namespace; --as and --as-group impersonate', async () => {
    expect((await whoami(['-n', 'other'])).namespace).toBe('other')
    expect((await whoami(['--context', 'limited', '--namespace', 'x'])).namespace).toBe('x')
    const bob = await whoami(['--as', 'bob', '--as-group', 'devs', '--as-group', 'ops'])
    expect(bob.username).toBe('bob')
    expect(bob.groups).toEqual(expect.arrayContaining(['devs', 'ops']))
    // Impersonation is itself authorised by RBAC: limited may not impersonate.
    const refused = await safeSecret(cluster, ['whoami', '--context', 'limited', '--as', 'admin'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/Error from server \(Forbidden\).*impersonate/)
  })

  it('--kubeconfig wins over KUBECONFIG', async () => {
    const res = await whoami(['--kubeconfig', cluster.kubeconfig, '--context', 'limited'], {
      KUBECONFIG: '/nonexistent/kubeconfig',
    })
    expect(res.username).toBe('limited')
  })

  it('a two-file KUBECONFIG merges as kubectl merges: the first file to define a name or current-context wins', async () => {
    const dir = tempDir('foundation')
    const base = baseKubeconfig()
    const outsiderToken = base.users.find((u) => u.name === 'outsider')?.user.token
    // File one: the cluster, a user named "limited" that really holds outsider's token, and current-context.
    const one = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: base.clusters,
      users: [{ name: 'limited', user: { token: outsiderToken } }],
      contexts: [],
      'current-context': 'merged',
    }
    // File two: the real "limited" user (shadowed by file one), and the contexts.
    const two = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [],
      users: base.users,
      contexts: [
        { name: 'merged', context: { cluster: 'local', user: 'limited', namespace: 'merged-ns' } },
        { name: 'admin', context: { cluster: 'local', user: 'admin' } },
      ],
      'current-context': 'admin',
    }
    writeFileSync(path.join(dir, 'one.yaml'), stringify(one))
    writeFileSync(path.join(dir, 'two.yaml'), stringify(two))
    const KUBECONFIG = `${path.join(dir, 'one.yaml')}:${path.join(dir, 'missing.yaml')}:${path.join(dir, 'two.yaml')}`
    const ours = await whoami([], { KUBECONFIG })
    expect(ours).toMatchObject({ username: 'outsider', namespace: 'merged-ns', context: 'merged' })
    // The real kubectl agrees.
    const theirs = await kubectl(cluster, ['auth', 'whoami', '-o', 'json'], { env: { KUBECONFIG } })
    expect(JSON.parse(theirs.stdout).status.userInfo.username).toBe('outsider')
    expect((await whoami(['--context', 'admin'], { KUBECONFIG })).username).toBe('admin')
  })

  it('--cluster and --user override the context', async () => {
    const res = await whoami(['--user', 'outsider'])
    expect(res).toMatchObject({ username: 'outsider', context: 'admin' })
    const bad = await safeSecret(cluster, ['whoami', '--cluster', 'nope'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('cluster "nope" does not exist')
  })
})

describe('kubeconfig auth users have', () => {
  it('client certificates', async () => {
    const dir = tempDir('foundation')
    const kc = baseKubeconfig()
    kc.users.push({
      name: 'cert',
      user: { 'client-certificate': cluster.clientCert.certFile, 'client-key': cluster.clientCert.keyFile },
    })
    kc.contexts.push({ name: 'cert', context: { cluster: 'local', user: 'cert' } })
    writeFileSync(path.join(dir, 'kc'), stringify(kc))
    const res = await whoami(['--kubeconfig', path.join(dir, 'kc'), '--context', 'cert'])
    expect(res.username).toBe(cluster.clientCert.user)
    expect(res.groups).toContain(cluster.clientCert.group)
  })

  it('exec credential plugins', async () => {
    const dir = tempDir('foundation')
    const plugin = path.join(dir, 'credential-plugin')
    // The plugin hands out the limited user's token, so success proves it ran.
    writeFileSync(
      plugin,
      `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${cluster.tokens.limited}"}}'\n`,
    )
    chmodSync(plugin, 0o755)
    const kc = baseKubeconfig()
    kc.users.push({
      name: 'exec',
      user: {
        exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' },
      },
    })
    kc.contexts.push({ name: 'exec', context: { cluster: 'local', user: 'exec' } })
    writeFileSync(path.join(dir, 'kc'), stringify(kc))
    const res = await whoami(['--kubeconfig', path.join(dir, 'kc'), '--context', 'exec'])
    expect(res.username).toBe('limited')
  })
})

describe('the error layer', () => {
  let hanging: net.Server
  let hangingPort = 0
  beforeAll(async () => {
    // A fault the real server cannot produce on demand: a TCP peer that accepts and never answers.
    hanging = net.createServer(() => {})
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', () => r()))
    hangingPort = (hanging.address() as net.AddressInfo).port
  })
  afterAll(() => {
    hanging.close()
  })

  function kubeconfigWith(server: string, ca = cluster.caFile): string {
    const dir = tempDir('foundation')
    const kc = baseKubeconfig()
    kc.clusters = [{ name: 'local', cluster: { server, 'certificate-authority': ca } }]
    writeFileSync(path.join(dir, 'kc'), stringify(kc))
    return path.join(dir, 'kc')
  }

  it('a missing context is one line, exit 1, no stack trace', async () => {
    const res = await safeSecret(cluster, ['whoami', '--context', 'nope'])
    expect(res.code).toBe(1)
    expect(res.stderr.split('\n')[0]).toBe('error: context "nope" does not exist')
    expect(res.stderr).not.toMatch(/\n\s+at /)
  })

  it('--debug keeps the stack trace', async () => {
    const res = await safeSecret(cluster, ['whoami', '--context', 'nope', '--debug'])
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/\n\s+at /)
  })

  it('connection refused', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer()
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port
        s.close(() => resolve(p))
      })
    })
    const res = await safeSecret(cluster, [
      'whoami',
      '--kubeconfig',
      kubeconfigWith(`https://127.0.0.1:${port}`),
    ])
    expect(res.code).toBe(1)
    expect(res.stderr).toContain(`The connection to the server 127.0.0.1:${port} was refused`)
  })

  it('a TLS failure (wrong certificate authority)', async () => {
    const res = await safeSecret(cluster, [
      'whoami',
      '--kubeconfig',
      kubeconfigWith(cluster.server, cluster.clientCert.certFile),
    ])
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^error: Unable to connect to the server 127\.0\.0\.1:\d+: TLS error/)
  })

  it('a server that does not answer within --request-timeout', async () => {
    const started = Date.now()
    const res = await safeSecret(cluster, [
      'whoami',
      '--request-timeout=1s',
      '--kubeconfig',
      kubeconfigWith(`https://127.0.0.1:${hangingPort}`),
    ])
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('no answer within 1s')
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  it('an API status error keeps kubectl wording and adds an RBAC hint', async () => {
    const res = await safeSecret(
      cluster,
      ['create', uniqueName('x'), '--from-stdin=k', '--context=outsider'],
      {
        stdin: 'v',
      },
    )
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(
      /^Error from server \(Forbidden\): secrets is forbidden: User "outsider" cannot create/,
    )
    expect(res.stderr).toContain(`hint: you may not create secrets in namespace "default"`)
  })
})
