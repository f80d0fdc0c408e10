/**
 * kubectl parity, checked against kubectl itself wherever it can answer: the
 * connection flags override the kubeconfig as kubectl's do, exec plugins get
 * the same KUBERNETES_EXEC_INFO, proxies come from the environment as Go
 * resolves them (through a real CONNECT proxy on loopback), -v logs what kubectl
 * logs without a body or a credential, and list, extend, version and the
 * validation of names behave as the issue asks.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { adminRequest } from '../cluster/control-plane.js'
import { createNamespace, getSecret, secretPolicy, uniqueName } from '../helpers/cluster-api.js'
import { kubectl, type RunResult, safeSecret } from '../helpers/plugin.js'
import { marker, tempDir } from '../helpers/values.js'

const cluster = inject('cluster')
const port = new URL(cluster.server).port

type Kubeconfig = {
  clusters: { name: string; cluster: Record<string, unknown> }[]
  users: { name: string; user: Record<string, unknown> }[]
  contexts: { name: string; context: Record<string, string> }[]
  'current-context'?: string
}

function baseKubeconfig(): Kubeconfig {
  return parse(readFileSync(cluster.kubeconfig, 'utf8')) as Kubeconfig
}

function writeKubeconfig(kc: Kubeconfig): string {
  const file = path.join(tempDir('parity'), 'kubeconfig')
  writeFileSync(file, stringify(kc))
  return file
}

/** The plugin's whoami and kubectl's own `auth whoami` with the same flags: both must succeed as `user`, or both fail. */
async function bothAs(args: string[], user: string | undefined, env: Record<string, string> = {}) {
  const ours = await safeSecret(cluster, ['whoami', '-o', 'json', ...args], { env })
  const theirs = await kubectl(cluster, ['auth', 'whoami', '-o', 'json', ...args], { env })
  if (user === undefined) {
    expect(ours.code, ours.stderr).toBe(1)
    expect(theirs.code, theirs.stderr).toBe(1)
    return { ours, theirs }
  }
  expect(theirs.code, theirs.stderr).toBe(0)
  expect(ours.code, ours.stderr).toBe(0)
  expect(
    (JSON.parse(theirs.stdout) as { status: { userInfo: { username: string } } }).status.userInfo.username,
  ).toBe(user)
  expect((JSON.parse(ours.stdout) as { username: string }).username).toBe(user)
  return { ours, theirs }
}

describe('connection flags override the kubeconfig as in kubectl', () => {
  it('--server, --certificate-authority and --token without any kubeconfig, with one warning about --token', async () => {
    const args = [
      '--server',
      cluster.server,
      '--certificate-authority',
      cluster.caFile,
      '--token',
      cluster.tokens.limited,
    ]
    const { ours } = await bothAs(args, 'limited', { KUBECONFIG: '/nonexistent/kubeconfig' })
    const lines = ours.stderr.split('\n').filter(Boolean)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^warning: --token is readable .*kubeconfig.*exec plugin.*KUBECONFIG/)
    expect(ours.stderr).not.toContain(cluster.tokens.limited)
  })

  it('--server keeps the kubeconfig CA', async () => {
    const kc = baseKubeconfig()
    ;(kc.clusters[0] as { cluster: Record<string, unknown> }).cluster.server = 'https://127.0.0.1:1'
    const file = writeKubeconfig(kc)
    await bothAs(['--kubeconfig', file], undefined)
    await bothAs(['--kubeconfig', file, '--server', cluster.server], 'admin')
  })

  it('--server clears the kubeconfig tls-server-name; --tls-server-name sets one', async () => {
    const kc = baseKubeconfig()
    ;(kc.clusters[0] as { cluster: Record<string, unknown> }).cluster['tls-server-name'] = 'wrong.example'
    const file = writeKubeconfig(kc)
    await bothAs(['--kubeconfig', file], undefined)
    await bothAs(['--kubeconfig', file, '--server', cluster.server], 'admin')
    await bothAs(['--kubeconfig', file, '--tls-server-name', 'kubernetes'], 'admin')
  })

  it('--insecure-skip-tls-verify clears a wrong kubeconfig CA; --certificate-authority replaces it', async () => {
    const kc = baseKubeconfig()
    const wrongCa = path.join(path.dirname(cluster.clientCert.certFile), 'client-ca.crt')
    ;(kc.clusters[0] as { cluster: Record<string, unknown> }).cluster['certificate-authority'] = wrongCa
    const file = writeKubeconfig(kc)
    await bothAs(['--kubeconfig', file], undefined)
    await bothAs(['--kubeconfig', file, '--insecure-skip-tls-verify'], 'admin')
    await bothAs(['--kubeconfig', file, '--certificate-authority', cluster.caFile], 'admin')
  })

  it('--client-certificate and --client-key, with --user naming a user without credentials', async () => {
    const kc = baseKubeconfig()
    kc.users.push({ name: 'bare', user: {} })
    const file = writeKubeconfig(kc)
    const cert = [
      '--client-certificate',
      cluster.clientCert.certFile,
      '--client-key',
      cluster.clientCert.keyFile,
    ]
    await bothAs(['--kubeconfig', file, '--user', 'bare', ...cert], cluster.clientCert.user)
  })

  it('--cluster and --user pick kubeconfig entries; --as-uid and --as-user-extra reach the API server', async () => {
    await bothAs(['--user', 'limited', '--cluster', 'local'], 'limited')
    const res = await safeSecret(cluster, ['whoami', '-o', 'json', '--as', 'someone', '--as-uid', 'uid-42'])
    expect(res.stderr).toBe('')
    expect(JSON.parse(res.stdout)).toMatchObject({ username: 'someone', uid: 'uid-42' })
    const extra = await safeSecret(cluster, [
      'whoami',
      '-o',
      'json',
      '--as',
      'someone',
      '--as-user-extra',
      'scopes.example.com/team=a',
      '--as-user-extra=scopes.example.com/team=b',
    ])
    expect(extra.stderr).toBe('')
    expect(JSON.parse(extra.stdout).extra).toEqual({ 'scopes.example.com/team': ['a', 'b'] })
    const lone = await safeSecret(cluster, ['whoami', '--as-uid', 'uid-42'])
    expect(lone.code).toBe(1)
    expect(lone.stderr).toMatch(/^error: --as-uid requires --as/)
  })
})

describe('KUBERNETES_EXEC_INFO', () => {
  it('reaches the exec plugin exactly as kubectl sets it, cluster info included', async () => {
    const dir = tempDir('exec-info')
    const plugin = path.join(dir, 'plugin')
    writeFileSync(
      plugin,
      `#!/bin/sh\nprintf '%s' "$KUBERNETES_EXEC_INFO" > "$INFO_OUT"\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${cluster.tokens.limited}"}}'\n`,
    )
    chmodSync(plugin, 0o755)
    const kc = baseKubeconfig()
    ;(kc.clusters[0] as { cluster: Record<string, unknown> }).cluster.extensions = [
      { name: 'client.authentication.k8s.io/exec', extension: { audience: 'parity', nested: { depth: 1 } } },
    ]
    for (const provideClusterInfo of [true, false]) {
      kc.users = [
        {
          name: 'exec',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: plugin,
              interactiveMode: 'Never',
              provideClusterInfo,
            },
          },
        },
      ]
      kc.contexts = [{ name: 'exec', context: { cluster: 'local', user: 'exec' } }]
      kc['current-context'] = 'exec'
      const file = writeKubeconfig(kc)
      const theirsFile = path.join(dir, `kubectl-${provideClusterInfo}.json`)
      const oursFile = path.join(dir, `ours-${provideClusterInfo}.json`)
      const theirs = await kubectl(cluster, ['auth', 'whoami', '--kubeconfig', file], {
        env: { INFO_OUT: theirsFile },
      })
      expect(theirs.code, theirs.stderr).toBe(0)
      const ours = await safeSecret(cluster, ['whoami', '--kubeconfig', file], {
        env: { INFO_OUT: oursFile },
      })
      expect(ours.code, ours.stderr).toBe(0)
      const expected = JSON.parse(readFileSync(theirsFile, 'utf8'))
      expect(JSON.parse(readFileSync(oursFile, 'utf8'))).toEqual(expected)
      if (provideClusterInfo)
        expect(expected.spec.cluster.config).toEqual({ audience: 'parity', nested: { depth: 1 } })
    }
  })
})

describe('-v', () => {
  it('6 logs each request with status and milliseconds; 8 adds headers, Authorization masked, never a body', async () => {
    const ns = await createNamespace(cluster, 'verbose')
    const value = marker('VERBOSE')
    const v6 = await safeSecret(cluster, ['list', '-n', ns, '-v=6'])
    expect(v6.code).toBe(0)
    expect(v6.stderr).toMatch(
      new RegExp(
        `^I\\d{4} [\\d:.]+ +\\d+ round_trippers.go\\] "Response" verb="GET" url="${cluster.server}/api/v1/namespaces/${ns}/secrets\\?[^"]*" status="200 OK" milliseconds=\\d+$`,
        'm',
      ),
    )
    expect(v6.stderr).not.toMatch(/headers=|Authorization/)

    const v8 = await safeSecret(cluster, ['create', 'logged', '--from-stdin=k', '-n', ns, '--v=8'], {
      stdin: value,
    })
    expect(v8.code, v8.stderr).toBe(0)
    expect(v8.stderr).toMatch(/"Request" verb="POST" url="[^"]+\/secrets[^"]*" headers=</)
    expect(v8.stderr).toContain('\tAuthorization: Bearer <masked>')
    expect(v8.stderr).toMatch(/"Response" status="201 Created" headers=<\n(\t[^\n]+\n)+ > milliseconds=\d+\n/)
    expect(v8.stderr).toMatch(/\tContent-Type: application\/json/)
    for (const forbidden of [value, Buffer.from(value).toString('base64'), cluster.tokens.admin]) {
      expect(v8.stderr).not.toContain(forbidden)
      expect(v8.stdout).not.toContain(forbidden)
    }
    // kubectl logs the same kind of line at 6, with the same fields.
    const theirs = await kubectl(cluster, ['get', 'secrets', '-n', ns, '-v=6'])
    expect(theirs.stderr).toMatch(/"Response" verb="GET" url="[^"]+" status="200 OK" milliseconds=\d+/)
  })
})

/**
 * A CONNECT proxy on loopback. It resolves the names in `hosts` itself (the
 * client cannot: they exist nowhere else) and records every CONNECT target.
 */
async function startProxy(hosts: Record<string, string>) {
  const targets: string[] = []
  const server = net.createServer((client) => {
    client.once('data', (head: Buffer) => {
      const match = /^CONNECT ([^\s:]+|\[[^\]]+\]):(\d+) HTTP\/1\.[01]\r\n/.exec(head.toString('latin1'))
      if (!match) {
        client.end('HTTP/1.1 400 Bad Request\r\n\r\n')
        return
      }
      const [, host, targetPort] = match as unknown as [string, string, string]
      targets.push(`${host}:${targetPort}`)
      const upstream = net.connect(Number(targetPort), hosts[host] ?? host, () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n')
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`
  return { url, targets, close: () => server.close() }
}

describe('proxies from the environment, as Go resolves them', () => {
  // Names only the proxy can resolve; the serving certificate is checked against `kubernetes`, one of its names.
  const HOST = 'kube.parity.test'
  const IP = '10.255.255.1'
  let proxy: Awaited<ReturnType<typeof startProxy>>
  let other: Awaited<ReturnType<typeof startProxy>>
  let byName: string
  let byIp: string

  beforeAll(async () => {
    proxy = await startProxy({ [HOST]: '127.0.0.1', [IP]: '127.0.0.1' })
    other = await startProxy({ [HOST]: '127.0.0.1', [IP]: '127.0.0.1' })
    const kubeconfigFor = (server: string, extra: Record<string, unknown> = {}) => {
      const kc = baseKubeconfig()
      kc.clusters = [
        {
          name: 'local',
          cluster: {
            server,
            'certificate-authority': cluster.caFile,
            'tls-server-name': 'kubernetes',
            ...extra,
          },
        },
      ]
      return writeKubeconfig(kc)
    }
    byName = kubeconfigFor(`https://${HOST}:${port}`)
    byIp = kubeconfigFor(`https://${IP}:${port}`)
  })
  afterAll(() => {
    proxy?.close()
    other?.close()
  })

  async function through(kubeconfig: string, env: Record<string, string>, expectedUser?: string) {
    const before = proxy.targets.length
    const args = ['--kubeconfig', kubeconfig, '--request-timeout=3s']
    const { ours } = await bothAs(args, expectedUser, env)
    return { ours, proxied: proxy.targets.length > before }
  }

  it('HTTPS_PROXY and https_proxy carry requests to a host only the proxy can resolve', async () => {
    const upper = await through(byName, { HTTPS_PROXY: proxy.url }, 'admin')
    expect(upper.proxied).toBe(true)
    expect(proxy.targets).toContain(`${HOST}:${port}`)
    expect((await through(byName, { https_proxy: proxy.url }, 'admin')).proxied).toBe(true)
    // Without a proxy, the name resolves nowhere, for kubectl as for us.
    const direct = await through(byName, {}, undefined)
    expect(direct.ours.stderr).toMatch(
      /^error: Unable to connect to the server: cannot resolve host kube\.parity\.test/,
    )
  })

  it('NO_PROXY host, domain-suffix and port forms bypass the proxy; other ports and domains do not', async () => {
    for (const noProxy of [HOST, 'parity.test', '.parity.test', '*.test', `${HOST}:${port}`]) {
      const res = await through(byName, { HTTPS_PROXY: proxy.url, NO_PROXY: noProxy }, undefined)
      expect(res.proxied, noProxy).toBe(false)
    }
    for (const noProxy of [`${HOST}:1`, 'other.test', 'kube.parity']) {
      const res = await through(byName, { HTTPS_PROXY: proxy.url, no_proxy: noProxy }, 'admin')
      expect(res.proxied, noProxy).toBe(true)
    }
  })

  it('NO_PROXY CIDR and IP forms bypass the proxy for an IP server', async () => {
    expect((await through(byIp, { HTTPS_PROXY: proxy.url }, 'admin')).proxied).toBe(true)
    for (const noProxy of ['10.0.0.0/8', IP, `${IP}:${port}`]) {
      // Direct, 10.255.255.1 answers nothing: both fail within --request-timeout.
      const res = await through(byIp, { HTTPS_PROXY: proxy.url, NO_PROXY: noProxy }, undefined)
      expect(res.proxied, noProxy).toBe(false)
    }
    expect((await through(byIp, { HTTPS_PROXY: proxy.url, NO_PROXY: '11.0.0.0/8' }, 'admin')).proxied).toBe(
      true,
    )
  })

  it("the kubeconfig's proxy-url wins over the environment", async () => {
    const kc = baseKubeconfig()
    kc.clusters = [
      {
        name: 'local',
        cluster: {
          server: `https://${HOST}:${port}`,
          'certificate-authority': cluster.caFile,
          'tls-server-name': 'kubernetes',
          'proxy-url': other.url,
        },
      },
    ]
    const before = other.targets.length
    const res = await through(writeKubeconfig(kc), { HTTPS_PROXY: proxy.url }, 'admin')
    expect(res.proxied).toBe(false)
    expect(other.targets.length).toBeGreaterThan(before)
  })
})

describe('list for people and scripts', () => {
  let ns: string
  beforeAll(async () => {
    ns = await createNamespace(cluster, 'listing')
    for (const [name, ttl] of [
      ['in-3h', '3h'],
      ['in-20m', '20m'],
      ['in-1h', '1h'],
    ] as const) {
      const res = await safeSecret(cluster, ['create', name, '--from-stdin=k', '--ttl', ttl, '-n', ns], {
        stdin: 'v',
      })
      expect(res.code, res.stderr).toBe(0)
    }
    const none = await safeSecret(cluster, ['create', 'no-expiry', '--from-stdin=k', '-n', ns], {
      stdin: 'v',
    })
    expect(none.code, none.stderr).toBe(0)
  })

  const names = (res: RunResult) =>
    res.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[0])

  it('--sort-by=expires, name and age', async () => {
    const byExpiry = await safeSecret(cluster, ['list', '-n', ns, '--sort-by=expires', '--no-headers'])
    expect(names(byExpiry)).toEqual(['in-20m', 'in-1h', 'in-3h', 'no-expiry'])
    const byName = await safeSecret(cluster, ['list', '-n', ns, '--sort-by', 'name', '--no-headers'])
    expect(names(byName)).toEqual(['in-1h', 'in-20m', 'in-3h', 'no-expiry'])
    const byAge = await safeSecret(cluster, ['list', '-n', ns, '--sort-by=age', '--no-headers'])
    expect(byAge.code).toBe(0)
    expect(names(byAge)).toHaveLength(4)
  })

  it('--expiring-within and --no-headers', async () => {
    const soon = await safeSecret(cluster, ['list', '-n', ns, '--expiring-within=90m'])
    expect(soon.stdout.split('\n')[0]).toMatch(/^NAME\s+KEYS/)
    expect(names(soon).slice(1).sort()).toEqual(['in-1h', 'in-20m'])
    const bare = await safeSecret(cluster, [
      'list',
      '-n',
      ns,
      '--expiring-within=90m',
      '--no-headers',
      '-o',
      'wide',
    ])
    expect(names(bare).sort()).toEqual(['in-1h', 'in-20m'])
    const bad = await safeSecret(cluster, ['list', '-n', ns, '--expiring-within=soon'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^error: invalid --expiring-within/)
  })

  it('-o json is a v1 List of the Secrets kubectl returns, without data', async () => {
    const ours = await safeSecret(cluster, ['list', '-n', ns, '-o', 'json', '--sort-by=expires'])
    const list = JSON.parse(ours.stdout) as {
      apiVersion: string
      kind: string
      items: { apiVersion: string; kind: string; metadata: { name: string; uid: string }; data?: unknown }[]
    }
    expect([list.apiVersion, list.kind]).toEqual(['v1', 'List'])
    expect(list.items.map((i) => i.metadata.name)).toEqual(['in-20m', 'in-1h', 'in-3h', 'no-expiry'])
    const theirs = JSON.parse(
      (await kubectl(cluster, ['get', 'secret', 'in-1h', '-n', ns, '-o', 'json'])).stdout,
    ) as { apiVersion: string; kind: string; metadata: Record<string, unknown>; type: string }
    const item = list.items.find((i) => i.metadata.name === 'in-1h')
    expect(item).toEqual({
      apiVersion: theirs.apiVersion,
      kind: theirs.kind,
      metadata: theirs.metadata,
      type: theirs.type,
    })
    expect(list.items.every((i) => i.data === undefined)).toBe(true)
  })
})

describe('extend', () => {
  it('refuses an earlier expiry unless --allow-earlier; says when a Secret gets its first expiry', async () => {
    const ns = await createNamespace(cluster, 'extend')
    const name = uniqueName('two-hours')
    expect(
      (await safeSecret(cluster, ['create', name, '--from-stdin=k', '--ttl=2h', '-n', ns], { stdin: 'v' }))
        .code,
    ).toBe(0)
    const before = (await getSecret(cluster, ns, name))?.metadata.annotations?.[
      'kubectl-safe-secret.io/expires-at'
    ]
    const refused = await safeSecret(cluster, ['extend', name, '--ttl=1m', '-n', ns])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(
      /^error: the new expiry \S+ is earlier than the current one, \S+; nothing was changed\nhint: pass --allow-earlier/,
    )
    expect(
      (await getSecret(cluster, ns, name))?.metadata.annotations?.['kubectl-safe-secret.io/expires-at'],
    ).toBe(before)
    const allowed = await safeSecret(cluster, ['extend', name, '--ttl=1m', '--allow-earlier', '-n', ns])
    expect(allowed.code, allowed.stderr).toBe(0)
    expect(allowed.stdout).toMatch(new RegExp(`^secret/${name} expiry moved from `))

    const bare = uniqueName('no-expiry')
    expect(
      (await safeSecret(cluster, ['create', bare, '--from-stdin=k', '-n', ns], { stdin: 'v' })).code,
    ).toBe(0)
    const first = await safeSecret(cluster, ['extend', bare, '--ttl=1h', '-n', ns])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(
      new RegExp(`^secret/${bare} had no expiry: it now expires at \\S+Z \\(job mode\\)`),
    )
  })
})

describe('version', () => {
  it('prints the client version and the server version kubectl reports', async () => {
    const theirs = JSON.parse((await kubectl(cluster, ['version', '-o', 'json'])).stdout) as {
      serverVersion: { gitVersion: string }
    }
    const ours = await safeSecret(cluster, ['version'])
    expect(ours.code, ours.stderr).toBe(0)
    expect(ours.stdout).toBe(`Client Version: v0.1.0\nServer Version: ${theirs.serverVersion.gitVersion}\n`)
    const json = JSON.parse((await safeSecret(cluster, ['version', '-o', 'json'])).stdout)
    expect(json.serverVersion).toEqual(theirs.serverVersion)
    const client = await safeSecret(cluster, ['version', '--client', '--server', 'https://127.0.0.1:1'])
    expect(client.stdout).toBe('Client Version: v0.1.0\n')
    expect(client.code).toBe(0)
  })
})

describe('names are validated before any request', () => {
  it('a namespace with / and a NAME the API would refuse: a usage error, no request logged', async () => {
    for (const args of [
      ['list', '-n', 'a/b'],
      ['revoke', 'x', '-n', 'team/a'],
      ['extend', 'Not_A_Name', '--ttl=1h'],
      ['revoke', '../x'],
    ]) {
      const res = await safeSecret(cluster, [...args, '-v=6'])
      expect(res.code, args.join(' ')).toBe(1)
      expect(res.stderr).toMatch(/^error: invalid (-n\/--namespace|Secret name)/)
      expect(res.stderr).not.toContain('round_trippers')
      // A plain word such as Not_A_Name may be quoted (src/errors/user-text.ts); these may not.
      expect(res.stderr).not.toMatch(/a\/b|team\/a|\.\.\/x/)
    }
  })

  it('a namespace from the kubeconfig context is checked too', async () => {
    const kc = baseKubeconfig()
    kc.contexts = [{ name: 'bad', context: { cluster: 'local', user: 'admin', namespace: 'x/y' } }]
    const res = await safeSecret(cluster, ['list', '--kubeconfig', writeKubeconfig(kc), '--context', 'bad'])
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^error: invalid namespace in context "bad": a namespace must be a DNS label/)
  })
})

describe("the API server's warnings", () => {
  // A real ValidatingAdmissionPolicy with the Warn action: the API server accepts
  // the Secret and sends a Warning header, here one that quotes the data as CEL
  // sees it (base64), as a careless policy would.
  const label = `warn-${uniqueName('l')}`
  const policy = uniqueName('warn-policy')
  const ns = uniqueName('warn')
  let removePolicy: (() => Promise<void>) | undefined

  beforeAll(async () => {
    const res = await adminRequest(cluster, 'POST', '/api/v1/namespaces', {
      metadata: { name: ns, labels: { [label]: 'true' } },
    })
    expect(res.status, res.body).toBe(201)
    removePolicy = await secretPolicy(cluster, {
      name: policy,
      label,
      messageExpression: "'reviewed: ' + object.data.map(k, k + '=' + string(object.data[k])).join(', ')",
      action: 'Warn',
    })
    // In effect once the API server's informer has it: until kubectl shows the warning.
    const deadline = Date.now() + 30_000
    for (;;) {
      const probe = await kubectl(cluster, [
        'create',
        'secret',
        'generic',
        uniqueName('probe'),
        '--from-literal=k=probe',
        '-n',
        ns,
      ])
      if (probe.stderr.includes('reviewed: k=')) break
      if (Date.now() > deadline) throw new Error(`the policy never warned: ${probe.stderr}`)
      await new Promise((r) => setTimeout(r, 250))
    }
  })

  afterAll(async () => {
    await removePolicy?.()
  })

  it('prints them as kubectl does, once each, with any value in them redacted', async () => {
    const value = marker('WARNED')
    // kubectl reads the value from a file (it cannot open the socket a test gives it as stdin).
    const file = path.join(tempDir('warn'), 'value')
    writeFileSync(file, value)
    const kubectlRun = await kubectl(cluster, [
      'create',
      'secret',
      'generic',
      uniqueName('k'),
      `--from-file=k=${file}`,
      '-n',
      ns,
    ])
    expect(kubectlRun.code).toBe(0)
    const encoded = Buffer.from(value).toString('base64')
    // One line: "Warning: Validation failed for ValidatingAdmissionPolicy '…' with binding '…': reviewed: k=…"
    expect(kubectlRun.stderr.split('\n')).toEqual([expect.stringMatching(/^Warning: /), ''])
    expect(kubectlRun.stderr).toContain(`'${policy}'`)
    expect(kubectlRun.stderr.endsWith(`: reviewed: k=${encoded}\n`)).toBe(true)

    const name = uniqueName('o')
    const ours = await safeSecret(cluster, ['create', name, '--from-stdin=k', '-n', ns], { stdin: value })
    expect(ours.code, ours.stderr).toBe(0)
    expect(ours.stderr).toBe(kubectlRun.stderr.replace(encoded, '<redacted>'))
    expect(ours.stdout).toBe(`secret/${name} created\n`)
    expect(Buffer.from((await getSecret(cluster, ns, name))?.data?.k ?? '', 'base64').toString()).toBe(value)
  })
})
