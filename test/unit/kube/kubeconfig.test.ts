import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Cluster, Context, User } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KubeconfigError, UsageError } from '../../../src/errors/cli-error.js'
import { kubeconfigSource, mergeKubeconfigs, resolveConnection } from '../../../src/kube/kubeconfig.js'

let dir: string
const p = (name: string) => path.join(dir, name)

const MAIN = `apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev-cluster
  cluster:
    server: https://dev.example:6443
    insecure-skip-tls-verify: true
- name: prod-cluster
  cluster:
    server: https://prod.example:6443
    insecure-skip-tls-verify: true
users:
- name: alice
  user:
    token: alice-token
- name: bob
  user:
    token: bob-token
contexts:
- name: dev
  context:
    cluster: dev-cluster
    user: alice
    namespace: dev-ns
- name: prod
  context:
    cluster: prod-cluster
    user: bob
- name: ghost
  context:
    cluster: nowhere
    user: alice
`

// Defines "dev" again, differently, and sets another current-context: the first file wins for both.
const SECOND = `apiVersion: v1
kind: Config
current-context: other
clusters:
- name: dev-cluster
  cluster:
    server: https://shadowed.example:6443
- name: other-cluster
  cluster:
    server: https://other.example:6443
users:
- name: alice
  user:
    token: shadowed-token
- name: carol
  user:
    token: carol-token
contexts:
- name: dev
  context:
    cluster: other-cluster
    user: carol
    namespace: shadowed-ns
- name: other
  context:
    cluster: other-cluster
    user: carol
    namespace: other-ns
`

const NO_CURRENT = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://c.example
users:
- name: u
  user:
    token: t
contexts:
- name: ctx
  context:
    cluster: c
    user: u
`

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'safe-secret-kubeconfig-'))
  writeFileSync(p('main.yaml'), MAIN)
  writeFileSync(p('second.yaml'), SECOND)
  writeFileSync(p('no-current.yaml'), NO_CURRENT)
  mkdirSync(p('home/.kube'), { recursive: true })
  writeFileSync(p('home/.kube/config'), NO_CURRENT)
  mkdirSync(p('empty-home'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('kubeconfigSource', () => {
  it('--kubeconfig is explicit and used alone, even when missing', () => {
    expect(kubeconfigSource('/no/such/file', { KUBECONFIG: p('main.yaml') }, p('home'))).toEqual({
      files: ['/no/such/file'],
      explicit: true,
    })
  })

  it('KUBECONFIG: every existing file in order, missing ones ignored, duplicates dropped', () => {
    const list = [p('second.yaml'), p('missing.yaml'), p('main.yaml'), '', p('second.yaml')].join(
      path.delimiter,
    )
    expect(kubeconfigSource(undefined, { KUBECONFIG: list }, p('home'))).toEqual({
      files: [p('second.yaml'), p('main.yaml')],
      explicit: false,
    })
  })

  it('KUBECONFIG with only missing files gives no file, not ~/.kube/config', () => {
    expect(kubeconfigSource(undefined, { KUBECONFIG: p('missing.yaml') }, p('home'))).toEqual({
      files: [],
      explicit: false,
    })
  })

  it('falls back to ~/.kube/config under the home given', () => {
    expect(kubeconfigSource(undefined, {}, p('home'))).toEqual({
      files: [path.join(p('home'), '.kube', 'config')],
      explicit: false,
    })
    expect(kubeconfigSource(undefined, { KUBECONFIG: '' }, p('home')).files).toEqual([
      path.join(p('home'), '.kube', 'config'),
    ])
  })

  it('no ~/.kube/config gives no file', () => {
    expect(kubeconfigSource(undefined, {}, p('empty-home'))).toEqual({ files: [], explicit: false })
  })
})

describe('mergeKubeconfigs', () => {
  const cluster = (name: string, server: string) => ({ name, server, skipTLSVerify: false }) as Cluster
  const user = (name: string, token: string) => ({ name, token }) as User
  const context = (name: string, c: string, u: string) => ({ name, cluster: c, user: u }) as Context

  it('the first definition of a name wins, for clusters, users and contexts', () => {
    const merged = mergeKubeconfigs([
      {
        clusters: [cluster('a', 'https://first')],
        users: [user('u', 'first')],
        contexts: [context('x', 'a', 'u')],
      },
      {
        clusters: [cluster('a', 'https://second'), cluster('b', 'https://b')],
        users: [user('u', 'second'), user('v', 'v')],
        contexts: [context('x', 'b', 'v'), context('y', 'b', 'v')],
      },
    ])
    expect(merged.clusters.map((c) => [c.name, c.server])).toEqual([
      ['a', 'https://first'],
      ['b', 'https://b'],
    ])
    expect(merged.users.map((u) => [u.name, u.token])).toEqual([
      ['u', 'first'],
      ['v', 'v'],
    ])
    expect(merged.contexts.map((c) => [c.name, c.cluster])).toEqual([
      ['x', 'a'],
      ['y', 'b'],
    ])
  })

  it('the first file that sets current-context wins', () => {
    const empty = { clusters: [], users: [], contexts: [] }
    expect(
      mergeKubeconfigs([empty, { ...empty, currentContext: 'one' }, { ...empty, currentContext: 'two' }])
        .currentContext,
    ).toBe('one')
    expect(mergeKubeconfigs([empty, empty]).currentContext).toBeUndefined()
  })
})

describe('resolveConnection', () => {
  const env = () => ({ KUBECONFIG: p('main.yaml') })

  it('uses current-context, its cluster, user and namespace', async () => {
    const c = await resolveConnection({}, env())
    expect(c).toMatchObject({
      server: 'https://dev.example:6443',
      contextName: 'dev',
      clusterName: 'dev-cluster',
      userName: 'alice',
      namespace: 'dev-ns',
      namespaceExplicit: false,
      impersonateGroups: [],
      requestTimeoutMs: 0,
    })
    expect(c.kubeConfig.getCurrentCluster()?.server).toBe('https://dev.example:6443')
    expect(c.kubeConfig.getCurrentUser()?.token).toBe('alice-token')
  })

  it('--context picks another context; with no namespace in it, "default"', async () => {
    const c = await resolveConnection({ context: 'prod' }, env())
    expect(c).toMatchObject({
      server: 'https://prod.example:6443',
      contextName: 'prod',
      userName: 'bob',
      namespace: 'default',
    })
    expect(c.kubeConfig.getCurrentUser()?.token).toBe('bob-token')
  })

  it('-n wins over the context namespace', async () => {
    const c = await resolveConnection({ namespace: 'override' }, env())
    expect(c.namespace).toBe('override')
    expect(c.namespaceExplicit).toBe(true)
  })

  it('--cluster and --user win over the context', async () => {
    const c = await resolveConnection({ cluster: 'prod-cluster', user: 'bob' }, env())
    expect(c).toMatchObject({
      server: 'https://prod.example:6443',
      clusterName: 'prod-cluster',
      userName: 'bob',
      contextName: 'dev',
      namespace: 'dev-ns',
    })
    expect(c.kubeConfig.getCurrentUser()?.token).toBe('bob-token')
  })

  it('--kubeconfig wins over KUBECONFIG', async () => {
    const c = await resolveConnection({ kubeconfig: p('second.yaml') }, env())
    expect(c).toMatchObject({
      contextName: 'other',
      namespace: 'other-ns',
      server: 'https://other.example:6443',
    })
  })

  it('with several KUBECONFIG files, the first definition and current-context win', async () => {
    const c = await resolveConnection(
      {},
      { KUBECONFIG: [p('main.yaml'), p('second.yaml')].join(path.delimiter) },
    )
    expect(c).toMatchObject({
      contextName: 'dev',
      server: 'https://dev.example:6443',
      userName: 'alice',
      namespace: 'dev-ns',
    })
    expect(c.kubeConfig.getCurrentUser()?.token).toBe('alice-token')
    // A context only the second file defines is still reachable.
    const other = await resolveConnection(
      { context: 'other' },
      { KUBECONFIG: [p('main.yaml'), p('second.yaml')].join(path.delimiter) },
    )
    expect(other).toMatchObject({
      server: 'https://other.example:6443',
      userName: 'carol',
      namespace: 'other-ns',
    })
  })

  it('the other order: the second file now wins', async () => {
    const c = await resolveConnection(
      {},
      { KUBECONFIG: [p('second.yaml'), p('main.yaml')].join(path.delimiter) },
    )
    expect(c).toMatchObject({ contextName: 'other', namespace: 'other-ns' })
    const dev = await resolveConnection(
      { context: 'dev' },
      { KUBECONFIG: [p('second.yaml'), p('main.yaml')].join(path.delimiter) },
    )
    expect(dev).toMatchObject({
      server: 'https://other.example:6443',
      userName: 'carol',
      namespace: 'shadowed-ns',
    })
  })

  it('a missing --context: context "x" does not exist', async () => {
    const err = await resolveConnection({ context: 'x' }, env()).catch((e: unknown) => e as Error)
    expect(err).toBeInstanceOf(KubeconfigError)
    expect((err as Error).message).toBe('context "x" does not exist')
  })

  it('a context naming a missing cluster fails', async () => {
    await expect(resolveConnection({ context: 'ghost' }, env())).rejects.toThrow(
      'cluster "nowhere" does not exist in the kubeconfig',
    )
  })

  it('a missing --user or --cluster fails', async () => {
    await expect(resolveConnection({ user: 'nobody' }, env())).rejects.toThrow(
      'user "nobody" does not exist in the kubeconfig',
    )
    await expect(resolveConnection({ cluster: 'nocluster' }, env())).rejects.toThrow(
      'cluster "nocluster" does not exist in the kubeconfig',
    )
  })

  it('no current-context and no --context fails; --context or --cluster fixes it', async () => {
    const e = { KUBECONFIG: p('no-current.yaml') }
    await expect(resolveConnection({}, e)).rejects.toThrow('no context is set in the kubeconfig')
    await expect(resolveConnection({ context: 'ctx' }, e)).resolves.toMatchObject({
      server: 'https://c.example',
    })
    const byCluster = await resolveConnection({ cluster: 'c' }, e)
    expect(byCluster).toMatchObject({ server: 'https://c.example', namespace: 'default' })
    expect(byCluster.userName).toBeUndefined()
  })

  it('a current-context naming a missing context fails, naming it', async () => {
    writeFileSync(
      p('dangling.yaml'),
      NO_CURRENT.replace('kind: Config', 'kind: Config\ncurrent-context: gone'),
    )
    await expect(resolveConnection({}, { KUBECONFIG: p('dangling.yaml') })).rejects.toThrow(
      'current context "gone" does not exist',
    )
  })

  it('a context whose user is not defined connects without credentials, as client-go does', async () => {
    writeFileSync(p('no-user.yaml'), NO_CURRENT.replace('user: u\n', 'user: missing-user\n'))
    const c = await resolveConnection({ context: 'ctx' }, { KUBECONFIG: p('no-user.yaml') })
    expect(c.userName).toBeUndefined()
    expect(c.kubeConfig.getCurrentUser()?.token).toBeUndefined()
    expect(c.server).toBe('https://c.example')
  })

  it('an explicit --kubeconfig that is missing fails, naming it', async () => {
    const missing = p('nope.yaml')
    const err = await resolveConnection({ kubeconfig: missing }, {}).catch((e: unknown) => e as Error)
    expect(err).toBeInstanceOf(KubeconfigError)
    expect((err as Error).message).toBe(`cannot load kubeconfig ${missing}: no such file`)
  })

  it('impersonation: --as and --as-group are kept', async () => {
    const c = await resolveConnection({ as: 'jane', 'as-group': ['devs', 'ops'] }, env())
    expect(c.impersonateUser).toBe('jane')
    expect(c.impersonateGroups).toEqual(['devs', 'ops'])
  })

  it('--as-group without --as is refused', async () => {
    const err = await resolveConnection({ 'as-group': ['devs'] }, env()).catch((e: unknown) => e as Error)
    expect(err).toBeInstanceOf(UsageError)
    expect((err as Error).message).toBe(
      '--as-group requires --as: impersonating groups without a user is not allowed',
    )
  })

  it('--request-timeout is parsed; a bad one is refused', async () => {
    expect((await resolveConnection({ 'request-timeout': '5s' }, env())).requestTimeoutMs).toBe(5000)
    expect((await resolveConnection({ 'request-timeout': '7' }, env())).requestTimeoutMs).toBe(7000)
    const err = await resolveConnection({ 'request-timeout': 'soon' }, env()).catch(
      (e: unknown) => e as Error,
    )
    expect(err).toBeInstanceOf(UsageError)
    expect((err as Error).message).toMatch(/^invalid --request-timeout: use 0/)
  })

  // Regression (found by these tests, fixed in 26f7afa): client-go ignores empty overrides, so `-n ""`,
  // `--context ""`, `--cluster ""` and `--user ""` (oclif passes '' through, e.g. from an unset shell
  // variable) mean "not given". Before: namespace "", anonymous user, or a failure.
  describe('empty flag values mean "not given", as in kubectl', () => {
    it('-n ""', async () => {
      const c = await resolveConnection({ namespace: '' }, env())
      expect(c.namespace).toBe('dev-ns')
      expect(c.namespaceExplicit).toBe(false)
    })

    it('--user ""', async () => {
      const c = await resolveConnection({ user: '' }, env())
      expect(c.userName).toBe('alice')
      expect(c.kubeConfig.getCurrentUser()?.token).toBe('alice-token')
    })

    it('--context ""', async () => {
      const c = await resolveConnection({ context: '' }, env())
      expect(c.contextName).toBe('dev')
    })

    it('--cluster ""', async () => {
      const c = await resolveConnection({ cluster: '' }, env())
      expect(c.server).toBe('https://dev.example:6443')
    })
  })
})

describe('resolveConnection with kubectl flags', () => {
  const env = (extra: Record<string, string> = {}) => ({ KUBECONFIG: p('main.yaml'), ...extra })
  const quiet = () => {}

  it('--server and --token need no kubeconfig at all; --token warns once', async () => {
    const warnings: string[] = []
    const c = await resolveConnection(
      { server: 'https://flags.example:6443', token: 't0k' },
      { KUBECONFIG: p('missing.yaml') },
      (line) => warnings.push(line),
    )
    expect(c.server).toBe('https://flags.example:6443')
    expect(c.namespace).toBe('default')
    expect(c.kubeConfig.getCurrentUser()?.token).toBe('t0k')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).not.toContain('t0k')
  })

  it('--server wins over a context whose cluster is missing; a missing --cluster is still an error', async () => {
    const c = await resolveConnection({ context: 'ghost', server: 'https://s.example' }, env(), quiet)
    expect(c.server).toBe('https://s.example')
    await expect(resolveConnection({ cluster: 'nope', server: 'https://s' }, env(), quiet)).rejects.toThrow(
      /cluster "nope" does not exist/,
    )
  })

  it('HTTPS_PROXY becomes the proxy unless NO_PROXY matches', async () => {
    const proxied = await resolveConnection({}, env({ HTTPS_PROXY: 'proxy:3128' }), quiet)
    expect(proxied.kubeConfig.getCurrentCluster()?.proxyUrl).toBe('http://proxy:3128')
    const bypass = await resolveConnection(
      {},
      env({ HTTPS_PROXY: 'proxy:3128', NO_PROXY: '.example' }),
      quiet,
    )
    expect(bypass.kubeConfig.getCurrentCluster()?.proxyUrl).toBeUndefined()
    const flag = await resolveConnection(
      { 'proxy-url': 'http://p2:1' },
      env({ HTTPS_PROXY: 'proxy:3128' }),
      quiet,
    )
    expect(flag.kubeConfig.getCurrentCluster()?.proxyUrl).toBe('http://p2:1')
  })

  it('refuses a namespace the API server would refuse, from -n or from the context', async () => {
    await expect(resolveConnection({ namespace: 'a/b' }, env())).rejects.toThrow(/^invalid -n\/--namespace: /)
    await expect(resolveConnection({ namespace: 'A' }, env())).rejects.toBeInstanceOf(UsageError)
  })

  it('--as-user-extra collects values by key and needs --as', async () => {
    const c = await resolveConnection({ as: 'x', 'as-user-extra': ['k=1', 'k=2', 'j=='] }, env())
    expect(c.impersonateExtra).toEqual({ k: ['1', '2'], j: ['='] })
    await expect(resolveConnection({ 'as-user-extra': ['k=1'] }, env())).rejects.toThrow(/requires --as/)
    await expect(resolveConnection({ as: 'x', 'as-user-extra': ['novalue'] }, env())).rejects.toThrow(
      /KEY=VALUE/,
    )
  })

  it('-v sets the verbosity', async () => {
    expect((await resolveConnection({ v: 8 }, env())).verbosity).toBe(8)
    expect((await resolveConnection({}, env())).verbosity).toBe(0)
  })
})
