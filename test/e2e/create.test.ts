/**
 * `create` end to end: the real kubectl execs the plugin, which talks to the
 * real control plane. Each case checks the bytes in the cluster, the output,
 * the exit code, and that a failure leaves nothing behind.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { parse } from 'yaml'
import { adminRequest, TEAM_NAMESPACE } from '../cluster/control-plane.js'
import {
  createNamespace,
  getSecret,
  listSecrets,
  requireSecret,
  secretBytes,
  uniqueName,
} from '../helpers/cluster-api.js'
import { kubectl, pluginEnv, type RunResult, safeSecret } from '../helpers/plugin.js'
import { marker, tempDir } from '../helpers/values.js'

const cluster = inject('cluster')

function expectOk(res: RunResult): void {
  expect(res.stderr).toBe('')
  expect(res.code).toBe(0)
}

let ns: string
beforeAll(async () => {
  ns = await createNamespace(cluster, 'create')
})

describe('values reach the cluster byte for byte', () => {
  it('all 256 byte values through --from-stdin', async () => {
    const value = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const name = uniqueName('bytes')
    const res = await safeSecret(cluster, ['create', name, '--from-stdin=blob', '-n', ns], { stdin: value })
    expectOk(res)
    expect(res.stdout).toBe(`secret/${name} created\n`)
    const secret = await requireSecret(cluster, ns, name)
    expect(secretBytes(secret, 'blob')?.equals(value)).toBe(true)
    expect(secret?.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('kubectl-safe-secret')
    expect(secret?.type).toBe('Opaque')
  })

  it('trims exactly one trailing newline, unless --keep-trailing-newline', async () => {
    const a = uniqueName('nl')
    expectOk(await safeSecret(cluster, ['create', a, '--from-stdin=k', '-n', ns], { stdin: 'v\n\n' }))
    expect(secretBytes(await requireSecret(cluster, ns, a), 'k')?.toString()).toBe('v\n')
    const b = uniqueName('nl')
    expectOk(
      await safeSecret(cluster, ['create', b, '--from-stdin=k', '--keep-trailing-newline', '-n', ns], {
        stdin: 'v\n',
      }),
    )
    expect(secretBytes(await requireSecret(cluster, ns, b), 'k')?.toString()).toBe('v\n')
  })

  it('combines files, a directory, an env file and an environment variable', async () => {
    const dir = tempDir('create')
    writeFileSync(path.join(dir, 'single.pem'), 'single-file')
    mkdirSync(path.join(dir, 'd'))
    writeFileSync(path.join(dir, 'd', 'one'), '1')
    writeFileSync(path.join(dir, 'd', 'two'), '2')
    mkdirSync(path.join(dir, 'd', 'skipped-subdir'))
    writeFileSync(path.join(dir, 'app.env'), '# comment\nUSER=app\n  SPACED=x=y "quoted"\n')
    const envValue = marker('MARKER')
    const name = uniqueName('combo')
    const res = await safeSecret(
      cluster,
      [
        'create',
        name,
        `--from-file=cert=${path.join(dir, 'single.pem')}`,
        `--from-file=${path.join(dir, 'd')}`,
        `--from-env-file=${path.join(dir, 'app.env')}`,
        '--from-env=token=CI_TOKEN',
        '-n',
        ns,
      ],
      { env: { CI_TOKEN: envValue } },
    )
    expectOk(res)
    const secret = await requireSecret(cluster, ns, name)
    expect(Object.keys(secret.data ?? {}).sort()).toEqual(['SPACED', 'USER', 'cert', 'one', 'token', 'two'])
    expect(secretBytes(secret, 'cert')?.toString()).toBe('single-file')
    expect(secretBytes(secret, 'SPACED')?.toString()).toBe('x=y "quoted"')
    expect(secretBytes(secret, 'token')?.toString()).toBe(envValue)
  })

  it('--stdin-format=env (dotenv) and --stdin-format=json', async () => {
    const a = uniqueName('dotenv')
    expectOk(
      await safeSecret(cluster, ['create', a, '--stdin-format=env', '-n', ns], {
        stdin: 'USER=app\nPASS="multi\nline"\n# c\n',
      }),
    )
    const s = await requireSecret(cluster, ns, a)
    expect(secretBytes(s, 'PASS')?.toString()).toBe('multi\nline')
    expect(secretBytes(s, 'USER')?.toString()).toBe('app')
    const b = uniqueName('json')
    expectOk(
      await safeSecret(cluster, ['create', b, '--stdin-format=json', '-n', ns], {
        stdin: '{"a":"ü","b":"x\\ny"}',
      }),
    )
    const j = await requireSecret(cluster, ns, b)
    expect(secretBytes(j, 'a')?.toString()).toBe('ü')
    expect(secretBytes(j, 'b')?.toString()).toBe('x\ny')
  })
})

describe('output never shows a value', () => {
  it('-o json, -o yaml and -o name redact every value', async () => {
    const value = marker('MARKER')
    for (const format of ['json', 'yaml', 'name']) {
      const name = uniqueName(`out-${format}`)
      const res = await safeSecret(cluster, ['create', name, '--from-stdin=k', '-o', format, '-n', ns], {
        stdin: value,
      })
      expectOk(res)
      expect(res.stdout).not.toContain(value)
      expect(res.stdout).not.toContain(Buffer.from(value).toString('base64'))
      if (format === 'name') expect(res.stdout).toBe(`secret/${name}\n`)
      else {
        const obj = format === 'json' ? JSON.parse(res.stdout) : parse(res.stdout)
        expect(obj.data.k).toBe(`<redacted: ${value.length} bytes>`)
        expect(obj.metadata.uid).toBeTruthy()
      }
    }
  })

  it('never writes a last-applied-configuration annotation', async () => {
    const name = uniqueName('nolast')
    expectOk(
      await safeSecret(cluster, ['create', name, '--from-stdin=k', '-n', ns, '--annotation', 'team=x'], {
        stdin: 'v',
      }),
    )
    const secret = await requireSecret(cluster, ns, name)
    expect(Object.keys(secret.metadata.annotations ?? {})).toEqual(['team'])
  })

  it('labels, annotations, --immutable and the field manager', async () => {
    const name = uniqueName('meta')
    expectOk(
      await safeSecret(
        cluster,
        [
          'create',
          name,
          '--from-stdin=k',
          '-n',
          ns,
          '-l',
          'app=db',
          '--label',
          'tier=x',
          '--annotation',
          'a.b/c=d',
          '--immutable',
        ],
        { stdin: 'v' },
      ),
    )
    const res = await adminRequest(
      cluster,
      'GET',
      `/api/v1/namespaces/${ns}/secrets/${name}?showManagedFields=true`,
    )
    const secret = JSON.parse(res.body)
    expect(secret.metadata.labels).toMatchObject({ app: 'db', tier: 'x' })
    expect(secret.metadata.annotations).toEqual({ 'a.b/c': 'd' })
    expect(secret.immutable).toBe(true)
    expect(secret.metadata.managedFields[0].manager).toBe('kubectl-safe-secret')
  })
})

describe('dry runs create nothing', () => {
  it('--dry-run=client prints the redacted object and sends nothing', async () => {
    const name = uniqueName('dryc')
    const res = await safeSecret(
      cluster,
      ['create', name, '--from-stdin=k', '--dry-run=client', '-o', 'yaml', '-n', ns],
      {
        stdin: 'dry-run-value',
      },
    )
    expectOk(res)
    expect(parse(res.stdout).data.k).toBe('<redacted: 13 bytes>')
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
  })

  it('--dry-run=server is validated by the server and not persisted', async () => {
    const name = uniqueName('drys')
    // Not the word "secret": the redaction point would blank it out of `secret/NAME` too.
    const res = await safeSecret(cluster, ['create', name, '--from-stdin=k', '--dry-run=server', '-n', ns], {
      stdin: 'dry-run-value',
    })
    expectOk(res)
    expect(res.stdout).toBe(`secret/${name} created (server dry run)\n`)
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
    const refused = await safeSecret(
      cluster,
      ['create', name, '--from-stdin=k', '--dry-run=server', '--context=outsider'],
      {
        stdin: 'dry-run-value',
      },
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('Forbidden')
  })
})

describe('kubectl compatibility', () => {
  it('--append-hash gives the name kubectl computes', async () => {
    const dir = tempDir('create')
    writeFileSync(path.join(dir, 'v'), 'same content')
    const theirs = await kubectl(cluster, [
      'create',
      'secret',
      'generic',
      'hashed',
      `--from-file=k=${path.join(dir, 'v')}`,
      '--append-hash',
      '--dry-run=client',
      '-o',
      'name',
    ])
    expect(theirs.code).toBe(0)
    const ours = await safeSecret(
      cluster,
      ['create', 'hashed', '--from-stdin=k', '--append-hash', '-o', 'name', '-n', ns],
      {
        stdin: 'same content',
      },
    )
    expectOk(ours)
    expect(ours.stdout).toBe(theirs.stdout)
    expect(await getSecret(cluster, ns, ours.stdout.trim().replace('secret/', ''))).toBeDefined()
  })

  it('--docker-registry builds .dockerconfigjson exactly as kubectl does', async () => {
    // A throwaway password: kubectl takes it on argv, which is why we never do.
    const password = 'p<a>s&s:wörd'
    const theirs = await kubectl(cluster, [
      'create',
      'secret',
      'docker-registry',
      'reg',
      '--docker-server=ghcr.io',
      '--docker-username=bot',
      '--docker-email=bot@example.com',
      `--docker-password=${password}`,
      '--dry-run=client',
      '-o',
      'json',
    ])
    expect(theirs.code).toBe(0)
    const expected = Buffer.from(JSON.parse(theirs.stdout).data['.dockerconfigjson'], 'base64')
    const name = uniqueName('reg')
    const ours = await safeSecret(
      cluster,
      [
        'create',
        name,
        '--docker-registry',
        '--docker-server=ghcr.io',
        '--docker-username=bot',
        '--docker-email=bot@example.com',
        '--from-stdin=password',
        '-n',
        ns,
      ],
      { stdin: password },
    )
    expectOk(ours)
    const secret = await requireSecret(cluster, ns, name)
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson')
    expect(secretBytes(secret, '.dockerconfigjson')?.equals(expected)).toBe(true)
  })
})

describe('typed Secrets are checked before anything is sent', () => {
  let pki: string
  beforeAll(() => {
    pki = tempDir('create')
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'ignore' })
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'a.key',
      '-out',
      'a.crt',
      '-subj',
      '/CN=a',
      '-days',
      '1',
    )
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'b.key')
    // An expired certificate, valid from 2020 to 2021 (OpenSSL 3.0's x509 cannot set dates: `ca` can).
    writeFileSync(
      path.join(pki, 'ca.cnf'),
      '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n',
    )
    writeFileSync(path.join(pki, 'index.txt'), '')
    writeFileSync(path.join(pki, 'serial'), '01\n')
    openssl('req', '-new', '-key', 'b.key', '-subj', '/CN=old', '-out', 'b.csr')
    openssl(
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-selfsign',
      '-keyfile',
      'b.key',
      '-in',
      'b.csr',
      '-startdate',
      '20200101000000Z',
      '-enddate',
      '20210101000000Z',
      '-out',
      'b.crt',
    )
  })

  it('--tls with a matching key', async () => {
    const name = uniqueName('tls')
    const res = await safeSecret(cluster, [
      'create',
      name,
      '--tls',
      `--cert=${pki}/a.crt`,
      `--key=${pki}/a.key`,
      '-n',
      ns,
    ])
    expectOk(res)
    const secret = await requireSecret(cluster, ns, name)
    expect(secret.type).toBe('kubernetes.io/tls')
    expect(Object.keys(secret.data ?? {}).sort()).toEqual(['tls.crt', 'tls.key'])
  })

  it('--tls refuses a key that does not match, and creates nothing', async () => {
    const name = uniqueName('tlsbad')
    const res = await safeSecret(cluster, [
      'create',
      name,
      '--tls',
      `--cert=${pki}/a.crt`,
      `--key=${pki}/b.key`,
      '-n',
      ns,
    ])
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('does not match the certificate')
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
  })

  it('--tls warns about an expired certificate', async () => {
    const name = uniqueName('tlsold')
    const res = await safeSecret(cluster, [
      'create',
      name,
      '--tls',
      `--cert=${pki}/b.crt`,
      `--key=${pki}/b.key`,
      '-n',
      ns,
    ])
    expect(res.code).toBe(0)
    expect(res.stderr).toMatch(/^Warning: the certificate in tls.crt expired on 2021-01-01/)
  })

  it('--basic-auth and --ssh-auth need their keys', async () => {
    const a = await safeSecret(
      cluster,
      ['create', uniqueName('ba'), '--basic-auth', '--from-stdin=token', '-n', ns],
      {
        stdin: 'v',
      },
    )
    expect(a.code).toBe(1)
    expect(a.stderr).toContain('needs the key "username" or "password"')
    const okName = uniqueName('ba')
    expectOk(
      await safeSecret(
        cluster,
        ['create', okName, '--basic-auth', '--from-stdin=password', '--from-env=username=U', '-n', ns],
        {
          stdin: 'v',
          env: { U: 'admin' },
        },
      ),
    )
    expect((await getSecret(cluster, ns, okName))?.type).toBe('kubernetes.io/basic-auth')
    const s = await safeSecret(
      cluster,
      ['create', uniqueName('ssh'), '--ssh-auth', '--from-stdin=key', '-n', ns],
      {
        stdin: 'v',
      },
    )
    expect(s.code).toBe(1)
    expect(s.stderr).toContain('needs the key "ssh-privatekey"')
  })
})

describe('--overwrite', () => {
  it('replaces the data of an existing Secret and keeps its metadata', async () => {
    const name = uniqueName('ow')
    expectOk(
      await safeSecret(cluster, ['create', name, '--from-stdin=k', '-n', ns, '-l', 'keep=me'], {
        stdin: 'old',
      }),
    )
    const before = await requireSecret(cluster, ns, name)
    const res = await safeSecret(cluster, ['create', name, '--from-stdin=k2', '--overwrite', '-n', ns], {
      stdin: 'new',
    })
    expectOk(res)
    expect(res.stdout).toBe(`secret/${name} replaced\n`)
    const after = await requireSecret(cluster, ns, name)
    expect(after.metadata.uid).toBe(before.metadata.uid)
    expect(after.metadata.labels?.keep).toBe('me')
    expect(Object.keys(after.data ?? {})).toEqual(['k2'])
    expect(secretBytes(after, 'k2')?.toString()).toBe('new')
  })

  it('is guarded by resourceVersion: a change between read and write makes it fail and write nothing', async () => {
    const name = uniqueName('ow-race')
    expectOk(await safeSecret(cluster, ['create', name, '--from-stdin=k', '-n', ns], { stdin: 'original' }))
    const env = { ...pluginEnv(cluster), SAFE_SECRET_TEST_FAULT: 'before-replace' }
    const child = spawn(
      path.join(cluster.binDir, 'kubectl'),
      ['safe-secret', 'create', name, '--from-stdin=k', '--overwrite', '-n', ns],
      {
        env,
      },
    )
    let stderr = ''
    const paused = new Promise<void>((resolve) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString()
        if (stderr.includes('safe-secret-test-fault: before-replace')) resolve()
      })
    })
    child.stdin.end('replacement')
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    await paused
    // Someone else changes the Secret while the CLI holds the version it read.
    const patched = await adminRequest(cluster, 'PUT', `/api/v1/namespaces/${ns}/secrets/${name}`, {
      ...(await requireSecret(cluster, ns, name)),
      data: { k: Buffer.from('theirs').toString('base64') },
    })
    expect(patched.status).toBe(200)
    // kubectl execs the plugin in its own process: the pid is the CLI's.
    child.kill('SIGUSR2')
    expect(await exited).toBe(1)
    expect(stderr).toContain(
      `error: secret "${name}" changed while it was being replaced; nothing was written`,
    )
    expect(secretBytes(await requireSecret(cluster, ns, name), 'k')?.toString()).toBe('theirs')
  })

  it('creates the Secret when it does not exist yet', async () => {
    const name = uniqueName('ow-new')
    const res = await safeSecret(cluster, ['create', name, '--from-stdin=k', '--overwrite', '-n', ns], {
      stdin: 'v',
    })
    expectOk(res)
    expect(res.stdout).toBe(`secret/${name} created\n`)
  })
})

/** Each bad input: a clear message that names the problem, exit 1, and nothing new in the cluster. */
describe('errors name the problem, never the value, and leave nothing behind', () => {
  const cases: {
    title: string
    args: (name: string, dir: string) => string[]
    stdin?: string | Buffer
    env?: Record<string, string>
    message: RegExp
  }[] = [
    {
      title: 'invalid name',
      args: () => ['Bad_Name', '--from-stdin=k'],
      stdin: 'MARK',
      message: /invalid Secret name "Bad_Name": the name must be a DNS subdomain/,
    },
    {
      title: 'invalid key',
      args: (n) => [n, '--from-stdin=bad key'],
      stdin: 'MARK',
      message: /--from-stdin: the key \(not shown, in case it is a value\) is not a valid key name/,
    },
    {
      title: 'duplicate key',
      args: (n) => [n, '--from-stdin=k', '--from-env=k=V'],
      stdin: 'MARK',
      env: { V: 'MARK' },
      message:
        /cannot add key "k" from stdin: another key by that name already comes from environment variable V/,
    },
    {
      title: 'empty stdin',
      args: (n) => [n, '--from-stdin=k'],
      stdin: '',
      message: /--from-stdin=k: stdin is empty/,
    },
    {
      title: 'only a newline on stdin',
      args: (n) => [n, '--from-stdin=k'],
      stdin: '\n',
      message: /stdin is empty/,
    },
    {
      title: 'prompt without a TTY',
      args: (n) => [n, '--from-prompt=k'],
      stdin: 'MARK',
      message: /--from-prompt needs a terminal, but stdin is not a terminal/,
    },
    {
      title: 'missing file',
      args: (n, d) => [n, `--from-file=${d}/nope`],
      message: /--from-file: no such file or directory: .*\/nope/,
    },
    {
      // As `--from-env=k=$TOKEN` does: the shell puts the value where the name goes.
      title: 'a value typed where --from-env wants a variable name',
      args: (n) => [n, '--from-env=k=MARK'],
      message: /--from-env=k: the environment variable it names is not set/,
    },
    {
      title: 'a value typed where --from-keychain wants an entry',
      args: (n) => [n, '--from-keychain=MARK'],
      message: /--from-keychain has no KEY= part/,
    },
    {
      title: 'missing variable',
      args: (n) => [n, '--from-env=k=NOT_SET_ANYWHERE'],
      message: /--from-env=k: the environment variable it names is not set/,
    },
    {
      title: 'too large',
      args: (n) => [n, '--from-stdin=k'],
      stdin: Buffer.alloc(1024 * 1024 + 1, 0x41),
      message: /the Secret's data is 1048577 bytes, over the API's limit of 1048576 bytes/,
    },
    {
      title: 'no source',
      args: (n) => [n],
      message: /a value must come from somewhere: no source was given/,
    },
    {
      title: '--from-literal',
      args: (n) => [n, '--from-literal=k=MARK'],
      message: /--from-literal is refused on purpose: .*shell history.*\/proc\/PID\/cmdline/,
    },
    {
      title: 'two sources on stdin',
      args: (n) => [n, '--from-stdin=a', '--from-stdin=b'],
      stdin: 'MARK',
      message: /stdin can feed only one source/,
    },
    {
      title: 'stray argument',
      args: (n) => [n, 'MARK', '--from-stdin=k'],
      stdin: 'x',
      message: /unexpected argument/,
    },
  ]

  for (const c of cases) {
    it(c.title, async () => {
      const errNs = await createNamespace(cluster, 'err')
      const name = uniqueName('e')
      const value = marker('MARKER')
      const args = c.args(name, tempDir('create')).map((a) => a.replace('MARK', value))
      const stdin = typeof c.stdin === 'string' ? c.stdin.replace('MARK', value) : c.stdin
      const env = Object.fromEntries(
        Object.entries(c.env ?? {}).map(([k, v]) => [k, v.replace('MARK', value)]),
      )
      const res = await safeSecret(cluster, ['create', ...args, '-n', errNs], { stdin, env })
      expect(res.code).toBe(1)
      expect(res.stderr).toMatch(c.message)
      expect(res.stderr + res.stdout).not.toContain(value)
      expect(res.stdout).toBe('')
      expect(await listSecrets(cluster, errNs)).toEqual([])
    })
  }

  it('403: names the verb, resource and namespace, with an RBAC hint', async () => {
    const res = await safeSecret(
      cluster,
      ['create', uniqueName('f'), '--from-stdin=k', '--context=limited', '-n', ns],
      {
        stdin: 'v',
      },
    )
    expect(res.code).toBe(1)
    expect(res.stderr).toContain(
      `Error from server (Forbidden): secrets is forbidden: User "limited" cannot create resource "secrets"`,
    )
    expect(res.stderr).toContain(
      `hint: you may not create secrets in namespace "${ns}": check with 'kubectl auth can-i create secrets -n ${ns}'`,
    )
    expect(await listSecrets(cluster, ns, 'never=there')).toEqual([])
  })

  it('409 AlreadyExists: suggests --overwrite and leaves the existing Secret alone', async () => {
    const name = uniqueName('dup')
    expectOk(await safeSecret(cluster, ['create', name, '--from-stdin=k', '-n', ns], { stdin: 'first' }))
    const res = await safeSecret(cluster, ['create', name, '--from-stdin=k', '-n', ns], { stdin: 'second' })
    expect(res.code).toBe(1)
    expect(res.stderr).toContain(`Error from server (AlreadyExists): secrets "${name}" already exists`)
    expect(res.stderr).toContain('hint: use --overwrite')
    expect(secretBytes(await requireSecret(cluster, ns, name), 'k')?.toString()).toBe('first')
  })

  it('422: names the field at fault', async () => {
    const name = uniqueName('inv')
    const res = await safeSecret(
      cluster,
      ['create', name, '--from-stdin=k', '--type=kubernetes.io/tls', '-n', ns],
      {
        stdin: 'v',
      },
    )
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('Error from server (Invalid)')
    expect(res.stderr).toMatch(/hint: field at fault: data\[tls\.(crt|key)\]/)
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
  })

  it('connection refused, TLS failure, timeout and unknown context are one-line errors', async () => {
    const unknown = await safeSecret(cluster, ['create', 'x', '--from-stdin=k', '--context=nope'], {
      stdin: 'v',
    })
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe(
      'error: context "nope" does not exist\nhint: list contexts with \'kubectl config get-contexts\'\n',
    )
    const dir = tempDir('create')
    const closed = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", certificate-authority: "${cluster.caFile}"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`
    writeFileSync(path.join(dir, 'closed'), closed)
    const refused = await safeSecret(
      cluster,
      ['create', 'x', '--from-stdin=k', `--kubeconfig=${dir}/closed`],
      { stdin: 'v' },
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr.split('\n')[0]).toBe(
      'error: The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?',
    )
    writeFileSync(
      path.join(dir, 'badca'),
      closed
        .replace('https://127.0.0.1:1', cluster.server)
        .replace(cluster.caFile, cluster.clientCert.certFile),
    )
    const tls = await safeSecret(cluster, ['create', 'x', '--from-stdin=k', `--kubeconfig=${dir}/badca`], {
      stdin: 'v',
    })
    expect(tls.code).toBe(1)
    expect(tls.stderr).toMatch(/^error: Unable to connect to the server 127\.0\.0\.1:\d+: TLS error/)

    // A fault the real server cannot produce on demand: a peer that accepts and never answers.
    const silent = net.createServer(() => {})
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()))
    try {
      const port = (silent.address() as net.AddressInfo).port
      writeFileSync(
        path.join(dir, 'silent'),
        closed.replace('https://127.0.0.1:1', `https://127.0.0.1:${port}`),
      )
      const value = marker('MARKER')
      const timeout = await safeSecret(
        cluster,
        ['create', 'x', '--from-stdin=k', '--request-timeout=1s', `--kubeconfig=${dir}/silent`],
        { stdin: value },
      )
      expect(timeout.code).toBe(1)
      expect(timeout.stderr.split('\n')[0]).toBe(
        `error: Unable to connect to the server 127.0.0.1:${port}: no answer within 1s`,
      )
      expect(timeout.stderr).not.toContain(value)
    } finally {
      silent.close()
    }
  })
})

describe('namespace resolution', () => {
  it('without -n, the Secret lands in the context namespace', async () => {
    const name = uniqueName('ctxns')
    expectOk(
      await safeSecret(cluster, ['create', name, '--from-stdin=k', '--context=limited'], { stdin: 'v' }),
    )
    expect(await getSecret(cluster, TEAM_NAMESPACE, name)).toBeDefined()
  })
})
