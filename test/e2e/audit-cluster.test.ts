/**
 * `audit` against real control planes, through the real kubectl:
 * - an insecure state on the shared control plane (RBAC bindings, secret env
 *   vars, kube-system pods that mimic kubeadm static pods with insecure etcd and
 *   apiserver flags, a Secret with last-applied-configuration): each finding;
 * - as `limited`, checks that cannot run are unknown, never passes;
 * - the encryption-at-rest proof: the raw etcd value is plain on the shared
 *   plane and `k8s:enc:` on a second plane started with an EncryptionConfiguration,
 *   and the audit's verdict matches both;
 * - a secure state on that second plane, whose etcd serves TLS only and requires
 *   client certificates: its mirror pods carry the real command lines of its etcd
 *   and apiserver, and etcd is probed (no client certificate, plain http) beside
 *   the verdict: no finding above info.
 * Secret values are random markers that must never reach the output.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  adminRequest,
  type ControlPlaneState,
  type EtcdEndpoint,
  etcdRequest,
  freePort,
  readEtcdRange,
  readEtcdRaw,
  restartApiserver,
  startControlPlane,
  startEtcd,
  stopControlPlane,
  stopProcess,
} from '../cluster/control-plane.js'
import { createNamespace, uniqueName } from '../helpers/cluster-api.js'
import { type RunResult, run, safeSecret } from '../helpers/plugin.js'
import { marker, tempDir } from '../helpers/values.js'

const cluster = inject('cluster')

interface JsonReport {
  scope: string
  findings: { check: string; severity: string; where: string; detail: string; fix: string }[]
  checks: { check: string; status: string; signal?: string; note?: string }[]
}

type Plane = Pick<ControlPlaneState, 'server' | 'caFile' | 'tokens'>

async function create(plane: Plane, path: string, body: object): Promise<{ metadata: { uid: string } }> {
  const res = await adminRequest(plane, 'POST', path, body)
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${res.body}`)
  return JSON.parse(res.body) as { metadata: { uid: string } }
}

/**
 * A Node object and a way to make mirror pods on it: what the kubelet creates
 * for a static pod (the config.mirror annotation and the Node as owner).
 */
async function controlPlaneNode(plane: Plane, name: string) {
  const node = await create(plane, '/api/v1/nodes', { metadata: { name } })
  return (p: object): object => {
    const withMeta = p as { metadata: Record<string, unknown>; spec: Record<string, unknown> }
    return {
      ...withMeta,
      spec: { ...withMeta.spec, nodeName: name },
      metadata: {
        ...withMeta.metadata,
        annotations: { 'kubernetes.io/config.mirror': randomBytes(16).toString('hex') },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid, controller: true }],
      },
    }
  }
}

async function remove(plane: Plane, path: string): Promise<void> {
  const res = await adminRequest(plane, 'DELETE', `${path}?gracePeriodSeconds=0`)
  if (res.status !== 200 && res.status !== 202 && res.status !== 404)
    throw new Error(`DELETE ${path}: ${res.status}`)
}

const RBAC = '/apis/rbac.authorization.k8s.io/v1'

function pod(name: string, labels: Record<string, string>, container: object): object {
  return {
    metadata: { name, labels },
    spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10', ...container }] },
  }
}

/**
 * The command line PLANE's etcd or kube-apiserver runs with: the binary and the
 * arguments it was started with, checked against the running process's own.
 */
function realCommand(plane: ControlPlaneState, component: 'etcd' | 'kube-apiserver'): string[] {
  const args = component === 'etcd' ? plane.etcdArgs : plane.apiserverArgs
  const pid = component === 'etcd' ? plane.pids.etcd : plane.pids.apiserver
  if (!args) throw new Error(`this control plane did not record the arguments of ${component}`)
  const command = [path.join(plane.binDir, component), ...args]
  expectRunning(pid, command)
  return command
}

/** PID runs COMMAND, as its /proc/PID/cmdline says. */
function expectRunning(pid: number, command: string[]): void {
  const running = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1)
  expect(running, `pid ${pid} runs with the recorded arguments`).toEqual(command)
}

/** etcd and kube-apiserver pods with the real command lines of PLANE's etcd and kube-apiserver. */
function securePods(plane: ControlPlaneState, id: string): object[] {
  return [
    pod(`etcd-${id}`, { component: 'etcd', tier: 'control-plane' }, { command: realCommand(plane, 'etcd') }),
    pod(
      `kube-apiserver-${id}`,
      { component: 'kube-apiserver', tier: 'control-plane' },
      { command: realCommand(plane, 'kube-apiserver') },
    ),
  ]
}

function parse(res: RunResult): JsonReport {
  expect(res.stderr).toBe('')
  return JSON.parse(res.stdout) as JsonReport
}

function expectNoValues(res: RunResult, values: string[]): void {
  for (const v of values) {
    expect(res.stdout).not.toContain(v)
    expect(res.stderr).not.toContain(v)
    expect(res.stdout).not.toContain(Buffer.from(v).toString('base64'))
  }
}

function findings(report: JsonReport, check: string) {
  return report.findings.filter((f) => f.check === check)
}

function status(report: JsonReport, check: string) {
  return report.checks.find((c) => c.check === check)
}

describe('an insecure cluster', () => {
  const id = randomBytes(3).toString('hex')
  const values = [marker('MARK'), marker('MARK'), marker('MARK')]
  const [password, token, envValue] = values as [string, string, string]
  let ns: string
  const kubeSystemPods = [`audit-etcd-${id}`, `audit-kube-apiserver-${id}`]
  const nodeName = `audit-cp-${id}`
  const clusterObjects: string[] = []
  let report: JsonReport
  let res: RunResult

  beforeAll(async () => {
    ns = await createNamespace(cluster, 'audit-bad')
    const api = `/api/v1/namespaces/${ns}`
    // A Secret applied with kubectl's client-side apply: a plain copy in the annotation.
    const applied = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'app-db', namespace: ns },
      stringData: { password },
    }
    await create(cluster, `${api}/secrets`, {
      metadata: {
        name: 'app-db',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) },
      },
      stringData: { password },
    })
    await create(cluster, `${api}/secrets`, { metadata: { name: 'api-token' }, stringData: { token } })
    await create(cluster, `${api}/secrets`, {
      metadata: {
        name: 'short-lived',
        labels: { 'app.kubernetes.io/managed-by': 'kubectl-safe-secret' },
        annotations: { 'safe-secret.io/expires-at': '2030-01-01T00:00:00Z' },
      },
      stringData: { v: envValue },
    })
    await create(cluster, `${api}/secrets`, {
      metadata: { name: 'janitor-ttl', annotations: { 'janitor/ttl': '2h' } },
      stringData: { v: 'x' },
    })
    // Secrets in environment variables: a bare Pod and a Deployment template.
    await create(
      cluster,
      `${api}/pods`,
      pod(
        'web',
        {},
        {
          env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'app-db', key: 'password' } } }],
          envFrom: [{ secretRef: { name: 'api-token' } }],
        },
      ),
    )
    await create(cluster, `/apis/apps/v1/namespaces/${ns}/deployments`, {
      metadata: { name: 'api' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: {
            containers: [
              {
                name: 'api',
                image: 'registry.k8s.io/pause:3.10',
                env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } }],
              },
            ],
          },
        },
      },
    })
    // A Pod that mounts the Secret as a volume: not a finding.
    await create(cluster, `${api}/pods`, {
      metadata: { name: 'volume-user' },
      spec: {
        containers: [
          {
            name: 'main',
            image: 'registry.k8s.io/pause:3.10',
            volumeMounts: [{ name: 's', mountPath: '/s' }],
          },
        ],
        volumes: [{ name: 's', secret: { secretName: 'app-db' } }],
      },
    })
    // RBAC: a cluster-wide reader, an aggregated ClusterRole with a wildcard rule, a
    // group of everyone, and a service account that can create Pods.
    const reader = `audit-reader-${id}`
    const aggregated = `audit-aggregated-${id}`
    const part = `audit-part-${id}`
    clusterObjects.push(`clusterroles/${reader}`, `clusterroles/${aggregated}`, `clusterroles/${part}`)
    clusterObjects.push(`clusterrolebindings/${reader}`)
    await create(cluster, `${RBAC}/clusterroles`, {
      metadata: { name: reader },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
    })
    await create(cluster, `${RBAC}/clusterrolebindings`, {
      metadata: { name: reader },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: reader },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: `alice-${id}` }],
    })
    await create(cluster, `${RBAC}/clusterroles`, {
      metadata: { name: aggregated },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`audit-${id}/aggregate`]: 'true' } }] },
      rules: [],
    })
    await create(cluster, `${RBAC}/clusterroles`, {
      metadata: { name: part, labels: { [`audit-${id}/aggregate`]: 'true' } },
      rules: [{ apiGroups: [''], resources: ['*'], verbs: ['watch'] }],
    })
    await create(cluster, `${RBAC}/namespaces/${ns}/rolebindings`, {
      metadata: { name: 'bob-aggregated' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: aggregated },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: `bob-${id}` }],
    })
    await create(cluster, `${RBAC}/namespaces/${ns}/roles`, {
      metadata: { name: 'peek' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
    })
    await create(cluster, `${RBAC}/namespaces/${ns}/rolebindings`, {
      metadata: { name: 'everyone-peeks' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'peek' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }],
    })
    await create(cluster, `${RBAC}/namespaces/${ns}/roles`, {
      metadata: { name: 'deployer' },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['create'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'update'] },
      ],
    })
    await create(cluster, `${RBAC}/namespaces/${ns}/rolebindings`, {
      metadata: { name: 'deployer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' },
      subjects: [{ kind: 'ServiceAccount', name: 'ci' }],
    })
    // kube-system mirror pods, as a kubelet makes them for kubeadm's static pods, with insecure flags.
    const mirror = await controlPlaneNode(cluster, nodeName)
    await create(
      cluster,
      '/api/v1/namespaces/kube-system/pods',
      mirror(
        pod(
          kubeSystemPods[0] as string,
          { component: 'etcd', tier: 'control-plane' },
          {
            command: [
              'etcd',
              '--name=m1',
              '--data-dir=/var/lib/etcd',
              '--listen-client-urls=http://0.0.0.0:2379',
              '--advertise-client-urls=http://10.0.0.1:2379',
              '--listen-peer-urls=http://0.0.0.0:2380',
              '--initial-advertise-peer-urls=http://10.0.0.1:2380',
            ],
          },
        ),
      ),
    )
    await create(
      cluster,
      '/api/v1/namespaces/kube-system/pods',
      mirror(
        pod(
          kubeSystemPods[1] as string,
          { component: 'kube-apiserver', tier: 'control-plane' },
          {
            command: [
              'kube-apiserver',
              '--etcd-servers=http://10.0.0.1:2379',
              '--authorization-mode=Node,RBAC',
            ],
          },
        ),
      ),
    )
    res = await safeSecret(cluster, ['audit', '-n', ns, '-o', 'json'])
    report = parse(res)
  })

  afterAll(async () => {
    for (const name of kubeSystemPods) await remove(cluster, `/api/v1/namespaces/kube-system/pods/${name}`)
    await remove(cluster, `/api/v1/nodes/${nodeName}`)
    for (const o of clusterObjects) await remove(cluster, `${RBAC}/${o}`)
  })

  it('never prints a value', () => {
    expect(res.code).toBe(0)
    expectNoValues(res, values)
  })

  it('encryption at rest: plain, from /metrics, and the apiserver flags agree', () => {
    const [f] = findings(report, 'encryption-at-rest')
    expect(f?.severity).toBe('high')
    expect(f?.detail).toMatch(/plain text/)
    expect(status(report, 'encryption-at-rest')?.signal).toMatch(/^\/metrics/)
    expect(status(report, 'encryption-at-rest')?.note).toMatch(/--encryption-provider-config .* agrees/)
  })

  it('etcd transport: every insecure etcd and apiserver flag', () => {
    const etcd = findings(report, 'etcd-transport').filter(
      (f) => f.where === `kube-system/pod/${kubeSystemPods[0]}`,
    )
    const details = etcd.map((f) => f.detail).join('\n')
    expect(details).toMatch(/serves clients over plain http/)
    expect(details).toMatch(/no client TLS certificate/)
    expect(details).toMatch(/does not require client certificates/)
    expect(details).toMatch(/peer traffic is plain http/)
    expect(details).toMatch(/no peer TLS certificate/)
    expect(details).toMatch(/does not require peer certificates/)
    const apiserver = findings(report, 'etcd-transport').filter(
      (f) => f.where === `kube-system/pod/${kubeSystemPods[1]}`,
    )
    expect(apiserver.map((f) => f.detail).join('\n')).toMatch(/over plain http:\/\/ \(--etcd-servers\)/)
    expect(apiserver.map((f) => f.detail).join('\n')).toMatch(/--etcd-cafile/)
    expect(apiserver.map((f) => f.detail).join('\n')).toMatch(/--etcd-certfile/)
    expect(status(report, 'etcd-transport')?.status).toBe('fail')
  })

  it('who can read Secrets: cluster-wide user, aggregated wildcard role, everyone; control plane apart', () => {
    const readers = findings(report, 'secret-readers')
    const alice = readers.find((f) => f.detail.startsWith(`User alice-${id} `))
    expect(alice?.severity).toBe('high')
    expect(alice?.where).toBe('all namespaces')
    const bob = readers.find((f) => f.detail.startsWith(`User bob-${id} `))
    expect(bob?.severity).toBe('medium')
    expect(bob?.where).toBe(ns)
    expect(bob?.detail).toMatch(/can watch Secrets .*through a wildcard rule/)
    expect(bob?.detail).toContain(`ClusterRole audit-aggregated-${id} via RoleBinding ${ns}/bob-aggregated`)
    const everyone = readers.find((f) => f.detail.startsWith('Group system:authenticated'))
    expect(everyone?.severity).toBe('high')
    const system = readers.find((f) => f.severity === 'info')
    expect(system?.detail).toMatch(/control plane identities .*system:masters/)
    expect(
      readers
        .filter((f) => f.severity !== 'info')
        .map((f) => f.detail)
        .join('\n'),
    ).not.toMatch(/system:masters|kube-system\//)
  })

  it('who can mount Secrets: the service account that creates Pods and Deployments', () => {
    const ci = findings(report, 'secret-mounters').find((f) =>
      f.detail.startsWith(`ServiceAccount ${ns}/ci `),
    )
    expect(ci?.severity).toBe('medium')
    expect(ci?.detail).toMatch(/can create pods, deployments in .*which holds Secrets/)
  })

  it('Secrets in environment variables: the Pod and the Deployment, low, fixed with volumes', () => {
    const env = findings(report, 'secret-in-env')
    expect(env.map((f) => f.where).sort()).toEqual([`${ns}/deployment/api`, `${ns}/pod/web`])
    expect(env.every((f) => f.severity === 'low' && /volume/.test(f.fix))).toBe(true)
    expect(env.find((f) => f.where === `${ns}/pod/web`)?.detail).toMatch(
      /DB_PASSWORD from app-db\/password.*every key of api-token/,
    )
  })

  it('plain copies in last-applied-configuration', () => {
    const [f, ...rest] = findings(report, 'secret-last-applied-copy')
    expect(rest).toEqual([])
    expect(f?.where).toBe(`${ns}/secret/app-db`)
    expect(f?.severity).toBe('medium')
    expect(f?.detail).toContain('keys: password')
  })

  it('Secrets that never expire: informational, without the expiring ones', () => {
    const [f] = findings(report, 'secret-lifetime').filter((x) => x.where === ns)
    expect(f?.severity).toBe('info')
    expect(f?.detail).toMatch(/^2 Secrets never expire: (app-db, api-token|api-token, app-db)$/)
  })

  it('-A covers every namespace, this one included', async () => {
    const all = await safeSecret(cluster, ['audit', '-A', '-o', 'json'])
    const r = parse(all)
    expect(r.scope).toMatch(/all namespaces$/)
    expect(findings(r, 'secret-in-env').map((f) => f.where)).toEqual(
      expect.arrayContaining([`${ns}/deployment/api`, `${ns}/pod/web`]),
    )
    expectNoValues(all, values)
  })

  it('--fail-on sets exit code 3 at or above the threshold; the table has the columns', async () => {
    const high = await safeSecret(cluster, ['audit', 'cluster', '-n', ns, '--fail-on', 'high'])
    expect(high.code).toBe(3)
    expect(high.stdout.split('\n')[0]).toMatch(/^CHECK\s+SEVERITY\s+WHERE\s+DETAIL\s+FIX$/)
    expect(high.stdout).toMatch(
      /encryption-at-rest\s+high\s+cluster\s+Secrets are stored in etcd in plain text/,
    )
    expectNoValues(high, values)
  })
})

describe('as a user who may only manage Secrets in team-a', () => {
  it('reports the checks it cannot run as unknown, with a reason and a way to check by hand', async () => {
    const res = await safeSecret(cluster, ['audit', '--context', 'limited', '-o', 'json'])
    expect(res.code).toBe(0)
    const report = parse(res)
    for (const check of [
      'encryption-at-rest',
      'etcd-transport',
      'secret-readers',
      'secret-mounters',
      'secret-in-env',
    ]) {
      expect(status(report, check)?.status, check).toBe('unknown')
      const unknown = findings(report, check).filter((f) => f.severity === 'unknown')
      expect(unknown.length, check).toBeGreaterThan(0)
      for (const f of unknown) {
        expect(f.detail).toMatch(/Forbidden/)
        expect(f.fix).toMatch(/^check by hand: /)
      }
    }
    // What it may read, it checks.
    // (Other suites create Secrets in team-a: whatever they hold, these checks ran.)
    expect(['pass', 'fail', 'info']).toContain(status(report, 'secret-last-applied-copy')?.status)
    expect(['pass', 'fail', 'info']).toContain(status(report, 'secret-lifetime')?.status)
    const failOnUnknown = await safeSecret(cluster, ['audit', '--context', 'limited', '--fail-on-unknown'])
    expect(failOnUnknown.code).toBe(3)
    expect(failOnUnknown.stdout).toMatch(
      /encryption-at-rest\s+unknown\s+cluster\s+could not check: Forbidden/,
    )
  })
})

describe('a cluster the audit cannot reach', () => {
  /** The test kubeconfig with its server or its admin token replaced. */
  function brokenKubeconfig(change: (text: string) => string): string {
    const file = path.join(tempDir('kubeconfig'), 'config')
    writeFileSync(file, change(readFileSync(cluster.kubeconfig, 'utf8')), { mode: 0o600 })
    return file
  }

  it('exits 1 whatever --fail-on says when the connection is refused, and says so', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused.
    const kubeconfig = brokenKubeconfig((t) => t.replace(cluster.server, 'https://127.0.0.1:1'))
    for (const extra of [[], ['--fail-on', 'low'], ['-o', 'json']]) {
      const res = await safeSecret(cluster, ['audit', ...extra], { env: { KUBECONFIG: kubeconfig } })
      expect(res.code, extra.join(' ')).toBe(1)
      // Either the audit's own words after its report, or (main's /version pre-flight) kubectl's one line.
      expect(res.stderr).toMatch(
        /^error: (the audit did not reach the cluster: )?The connection to the server 127\.0\.0\.1:1 was refused/,
      )
      if (res.stderr.includes('did not reach')) {
        expect(res.stderr).toMatch(/(\d+) of \1 checks could not run/)
        expect(res.stderr).toMatch(/exit code 1 whatever --fail-on says/)
      }
    }
  })

  it('exits 1 when the credentials are refused (401)', async () => {
    const kubeconfig = brokenKubeconfig((t) => t.replace(cluster.tokens.admin, 'not-a-valid-token'))
    const res = await safeSecret(cluster, ['audit', '-o', 'json'], { env: { KUBECONFIG: kubeconfig } })
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/the server refused the credentials \(Unauthorized\)/)
    const report = JSON.parse(res.stdout) as JsonReport
    expect(report.checks.every((c) => c.status === 'unknown')).toBe(true)
  })
})

/** Every Secret in etcd, raw, through etcd's JSON gateway (as readEtcdRaw reads one key). */
async function readEtcdSecrets(etcd: EtcdEndpoint): Promise<Map<string, Buffer>> {
  const prefix = '/registry/secrets/'
  const end = `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`
  return readEtcdRange(etcd, prefix, end)
}

const ENCRYPTED_PREFIX = 'k8s:enc:aescbc:v1:'
/** Node's error when a TLS 1.3 server (etcd) refuses a client for presenting no certificate. */
const CERTIFICATE_REQUIRED = { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' }

describe('encryption at rest: the verdict matches the raw etcd value', () => {
  // Started without encryption; the apiserver is restarted with an
  // EncryptionConfiguration over the same etcd data, as an operator turns it on.
  // Its etcd serves TLS only, with client certificates required, as kubeadm's
  // does: the secure state below is checked against it.
  let encrypted: ControlPlaneState
  const oldValues = [marker('OLD'), marker('OLD'), marker('OLD')]
  let mixedNs: string

  beforeAll(async () => {
    encrypted = await startControlPlane({ etcdTls: true })
  })
  afterAll(async () => {
    if (encrypted) await stopControlPlane(encrypted)
  })

  async function rawAndVerdict(plane: ControlPlaneState) {
    const ns = await createNamespace(plane, 'audit-enc')
    const name = uniqueName('proof')
    const value = marker('MARK')
    await create(plane, `/api/v1/namespaces/${ns}/secrets`, { metadata: { name }, stringData: { value } })
    const raw = await readEtcdRaw(plane, `/registry/secrets/${ns}/${name}`)
    const res = await safeSecret(plane, ['audit', '-n', ns, '-o', 'json'])
    expectNoValues(res, [value])
    return { raw: raw ?? Buffer.alloc(0), value, report: parse(res), ns }
  }

  it('plain in etcd without an EncryptionConfiguration: the audit says plain', async () => {
    const { raw, value, report } = await rawAndVerdict(cluster)
    expect(raw.includes(value)).toBe(true)
    expect(raw.subarray(0, 8).toString()).not.toBe('k8s:enc:')
    expect(status(report, 'encryption-at-rest')?.status).toBe('fail')
    expect(findings(report, 'encryption-at-rest')[0]?.severity).toBe('high')
  })

  it('encryption turned on over a plain data directory: mixed plain and encrypted Secrets fail', async () => {
    mixedNs = await createNamespace(encrypted, 'audit-mixed')
    for (const [i, value] of oldValues.entries()) {
      await create(encrypted, `/api/v1/namespaces/${mixedNs}/secrets`, {
        metadata: { name: `old-${i}` },
        stringData: { value },
      })
    }
    await restartApiserver(encrypted, { encryptionAtRest: true })
    // Before any write: the apiserver read the old Secrets in plain text at start-up.
    const before = parse(await safeSecret(encrypted, ['audit', '-n', mixedNs, '-o', 'json']))
    expect(status(before, 'encryption-at-rest')?.status).toBe('fail')
    // One new Secret: etcd now holds both.
    const fresh = marker('NEW')
    await create(encrypted, `/api/v1/namespaces/${mixedNs}/secrets`, {
      metadata: { name: 'new' },
      stringData: { value: fresh },
    })
    const raw = await readEtcdSecrets(encrypted)
    const newRaw = raw.get(`/registry/secrets/${mixedNs}/new`)
    expect(newRaw?.subarray(0, 18).toString()).toBe(ENCRYPTED_PREFIX)
    for (const [i, value] of oldValues.entries()) {
      const old = raw.get(`/registry/secrets/${mixedNs}/old-${i}`)
      expect(old?.includes(value)).toBe(true)
      expect(old?.subarray(0, 8).toString()).not.toBe('k8s:enc:')
    }
    const res = await safeSecret(encrypted, ['audit', '-n', mixedNs, '-o', 'json', '--fail-on', 'high'])
    expectNoValues(res, [...oldValues, fresh])
    expect(res.code).toBe(3)
    const report = parse(res)
    expect(status(report, 'encryption-at-rest')?.status).toBe('fail')
    const [f] = findings(report, 'encryption-at-rest')
    expect(f?.severity).toBe('high')
    expect(f?.detail).toMatch(
      /Secret reads? from etcd in plain text since the apiserver started .*still stored in plain text; new writes are encrypted with aescbc v1/,
    )
    expect(f?.fix).toMatch(/--rewrite-plain-secrets/)
  })

  it('--rewrite-plain-secrets refuses without a terminal or --yes, and changes nothing', async () => {
    const res = await safeSecret(encrypted, ['audit', 'cluster', '--rewrite-plain-secrets'])
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(
      /^error: --rewrite-plain-secrets asks for confirmation, but standard input is not a terminal\nhint: pass --yes/,
    )
    const old = (await readEtcdSecrets(encrypted)).get(`/registry/secrets/${mixedNs}/old-0`)
    expect(old?.subarray(0, 8).toString()).not.toBe('k8s:enc:')
  })

  it('--rewrite-plain-secrets --yes leaves every Secret in etcd encrypted, and then the audit passes', async () => {
    const count = (await readEtcdSecrets(encrypted)).size
    const res = await safeSecret(encrypted, ['audit', 'cluster', '--rewrite-plain-secrets', '--yes'])
    expectNoValues(res, oldValues)
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(new RegExp(`^Rewrote ${count} of ${count} Secrets in every namespace\\.\n`))
    const raw = await readEtcdSecrets(encrypted)
    expect(raw.size).toBe(count)
    for (const [key, value] of raw) {
      expect(value.subarray(0, 18).toString(), key).toBe(ENCRYPTED_PREFIX)
      for (const v of oldValues) expect(value.includes(v), key).toBe(false)
    }
    // The counters of plain reads only start again with the apiserver.
    await restartApiserver(encrypted, { encryptionAtRest: true })
  })

  it('on a terminal it asks first and shows progress; a Secret updated meanwhile is read again', async () => {
    const env = {
      ...process.env,
      HOME: tempDir('home'),
      KUBECONFIG: encrypted.kubeconfig,
      PATH: [path.resolve('bin'), encrypted.binDir, path.dirname(process.execPath), '/usr/bin', '/bin'].join(
        ':',
      ),
    }
    const command = `${path.join(encrypted.binDir, 'kubectl')} safe-secret audit cluster --rewrite-plain-secrets`
    // `script` gives the plugin a real terminal; the answer arrives on it.
    const no = await run('script', ['-qec', command, '/dev/null'], { stdin: 'n\n', env })
    expect(no.code).toBe(0)
    expect(no.stdout).toMatch(
      /Rewrite every Secret in every namespace of https:\/\/127\.0\.0\.1:\d+, unchanged, so that the current encryption provider stores it\? \[y\/N\]/,
    )
    expect(no.stdout).toContain('Nothing rewritten.')
    expect(no.stdout).not.toContain('rewriting Secrets')
    // Another writer updates one Secret over and over while the rewrite runs.
    let writing = true
    let updates = 0
    const secretPath = `/api/v1/namespaces/${mixedNs}/secrets/old-1`
    const writer = (async () => {
      while (writing) {
        const got = JSON.parse((await adminRequest(encrypted, 'GET', secretPath)).body) as {
          metadata: { labels?: Record<string, string> }
        }
        got.metadata.labels = { n: String(updates) }
        if ((await adminRequest(encrypted, 'PUT', secretPath, got)).status === 200) updates++
        await new Promise((r) => setTimeout(r, 5))
      }
    })()
    const count = (await readEtcdSecrets(encrypted)).size
    const started = Date.now()
    const yes = await run('script', ['-qec', command, '/dev/null'], { stdin: 'y\n', env })
    writing = false
    await writer
    expect(yes.code).toBe(0)
    expect(yes.stdout).toMatch(new RegExp(`rewriting Secrets: ${count} of ${count}`))
    expect(yes.stdout).toMatch(new RegExp(`Rewrote \\d+ of ${count} Secrets in every namespace`))
    expect(yes.stdout).not.toMatch(/failed|could not be rewritten/)
    expect(updates).toBeGreaterThan(0)
    for (const v of oldValues) expect(yes.stdout).not.toContain(v)
    for (const [key, value] of await readEtcdSecrets(encrypted)) {
      expect(value.subarray(0, 18).toString(), key).toBe(ENCRYPTED_PREFIX)
    }
    console.log(
      `rewrite on a terminal with a concurrent writer (${updates} updates): ${JSON.stringify(/Rewrote[^\r\n]*/.exec(yes.stdout)?.[0])} in ${Date.now() - started} ms`,
    )
  })

  it('k8s:enc: in etcd with one: the audit says encrypted, from /metrics', async () => {
    const { raw, value, report } = await rawAndVerdict(encrypted)
    expect(raw.subarray(0, 18).toString()).toBe('k8s:enc:aescbc:v1:')
    expect(raw.includes(value)).toBe(false)
    const s = status(report, 'encryption-at-rest')
    expect(s?.status).toBe('pass')
    expect(s?.signal).toMatch(/^\/metrics apiserver_storage_transformation_operations_total/)
    expect(s?.note).toMatch(/^encrypted: \d+ Secret writes? encrypted with aescbc v1 and no plain read/)
    expect(findings(report, 'encryption-at-rest')).toEqual([])
  })

  it('an ordinary pod labelled as etcd with TLS flags does not turn etcd-transport green', async () => {
    const id = randomBytes(3).toString('hex')
    for (const p of securePods(encrypted, `fake-${id}`)) {
      await create(encrypted, '/api/v1/namespaces/kube-system/pods', p)
    }
    const res = await safeSecret(encrypted, ['audit', '-o', 'json'])
    const report = parse(res)
    const etcd = status(report, 'etcd-transport')
    expect(etcd?.status).toBe('unknown')
    expect(etcd?.note).toContain(`ignored kube-system/pod/etcd-fake-${id}`)
    const unknown = findings(report, 'etcd-transport')
    expect(unknown.map((f) => f.severity)).toEqual(['unknown', 'unknown'])
    expect(unknown[0]?.detail).toMatch(/no etcd mirror pod/)
    expect(unknown[0]?.fix).toMatch(/^check by hand: .*etcd\.yaml/)
  })

  it('a secure state gives no finding above info', async () => {
    const plane = encrypted
    const ns = await createNamespace(plane, 'audit-good')
    const id = randomBytes(3).toString('hex')
    const value = marker('MARK')
    await create(plane, `/api/v1/namespaces/${ns}/secrets`, {
      metadata: {
        name: 'db',
        labels: { 'app.kubernetes.io/managed-by': 'kubectl-safe-secret' },
        annotations: { 'safe-secret.io/expires-at': '2030-01-01T00:00:00Z' },
      },
      stringData: { password: value },
    })
    await create(plane, `/api/v1/namespaces/${ns}/pods`, {
      metadata: { name: 'app' },
      spec: {
        containers: [
          {
            name: 'main',
            image: 'registry.k8s.io/pause:3.10',
            volumeMounts: [{ name: 's', mountPath: '/s' }],
          },
        ],
        volumes: [{ name: 's', secret: { secretName: 'db' } }],
      },
    })
    await create(plane, `${RBAC}/namespaces/${ns}/roles`, {
      metadata: { name: 'viewer' },
      rules: [{ apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ['get', 'list'] }],
    })
    await create(plane, `${RBAC}/namespaces/${ns}/rolebindings`, {
      metadata: { name: 'viewer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'viewer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'carol' }],
    })
    const mirror = await controlPlaneNode(plane, `cp-${id}`)
    for (const p of securePods(plane, id))
      await create(plane, '/api/v1/namespaces/kube-system/pods', mirror(p))
    const res = await safeSecret(plane, ['audit', '-n', ns, '-o', 'json', '--fail-on', 'low'])
    const report = parse(res)
    expectNoValues(res, [value])
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([])
    expect(res.code).toBe(0)
    for (const c of report.checks) expect(['pass', 'info'], c.check).toContain(c.status)
    expect(status(report, 'encryption-at-rest')?.note).toMatch(/--encryption-provider-config .* agrees/)
    expect(status(report, 'etcd-transport')?.status).toBe('pass')
    expect(status(report, 'etcd-transport')?.signal).toMatch(
      /etcd mirror pod flags .*kube-apiserver mirror pod flags/,
    )

    // The etcd-transport pass, against etcd itself: every URL it listens on (from its
    // command line) refuses plain http and a client without a certificate from its CA.
    const key = `/registry/secrets/${ns}/db`
    const range = { key: Buffer.from(key).toString('base64') }
    const etcdClient = plane.etcdClient
    if (!etcdClient) throw new Error('the encrypted plane was started without etcdTls')
    const listens = realCommand(plane, 'etcd')
      .filter((a) => /^--listen-(client|peer)-urls=/.test(a))
      .flatMap((a) => a.slice(a.indexOf('=') + 1).split(','))
    expect(listens).toHaveLength(2)
    for (const url of listens) {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      await expect(
        etcdRequest({ etcdUrl: url.replace(/^https:/, 'http:') }, 'GET', '/health'),
        url,
      ).rejects.toMatchObject({ code: 'ECONNRESET' })
      await expect(
        etcdRequest({ etcdUrl: url, etcdClient: { caFile: etcdClient.caFile } }, 'GET', '/health'),
        url,
      ).rejects.toMatchObject(CERTIFICATE_REQUIRED)
      // A certificate, but from another CA (the apiserver's client CA): refused too.
      await expect(
        etcdRequest(
          { etcdUrl: url, etcdClient: { ...plane.clientCert, caFile: etcdClient.caFile } },
          'GET',
          '/health',
        ),
        url,
      ).rejects.toMatchObject({ code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' })
    }
    await expect(
      etcdRequest(
        { etcdUrl: plane.etcdUrl, etcdClient: { caFile: etcdClient.caFile } },
        'POST',
        '/v3/kv/range',
        range,
      ),
    ).rejects.toMatchObject(CERTIFICATE_REQUIRED)
    // With the apiserver's etcd client certificate the same read works (so the refusals
    // above are etcd's TLS, not a dead port), and the value is stored encrypted.
    const raw = await readEtcdRaw(plane, key)
    expect(raw?.subarray(0, 18).toString()).toBe(ENCRYPTED_PREFIX)
    // The apiserver reads that Secret back: through etcd's TLS, the only way etcd serves.
    const got = await adminRequest(plane, 'GET', `/api/v1/namespaces/${ns}/secrets/db`)
    expect(got.status).toBe(200)
    const data = (JSON.parse(got.body) as { data: { password: string } }).data
    expect(Buffer.from(data.password, 'base64').toString()).toBe(value)
  })

  it('etcd with --trusted-ca-file but --client-cert-auth=false still requires certificates: the audit agrees', async () => {
    const plane = encrypted
    const etcdClient = plane.etcdClient
    if (!etcdClient) throw new Error('the encrypted plane was started without etcdTls')
    // A second etcd: the plane's own command line on fresh ports and data, with
    // --client-cert-auth and --peer-client-cert-auth turned off and the CA files kept.
    const running = realCommand(plane, 'etcd')
    const portOf = (flag: string): string => {
      const url = running.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3)
      if (!url) throw new Error(`etcd runs without --${flag}`)
      return new URL(url).port
    }
    const [client, peer] = [await freePort(), await freePort()]
    const id = randomBytes(3).toString('hex')
    const args = running.slice(1).map((a) =>
      a
        .replace(/^--data-dir=.*$/, `--data-dir=${path.join(plane.dir, `etcd-${id}`)}`)
        .replace(/^--(peer-)?client-cert-auth=true$/, '--$1client-cert-auth=false')
        .replaceAll(`127.0.0.1:${portOf('listen-client-urls')}`, `127.0.0.1:${client}`)
        .replaceAll(`127.0.0.1:${portOf('listen-peer-urls')}`, `127.0.0.1:${peer}`),
    )
    expect(args).toEqual(
      expect.arrayContaining(['--client-cert-auth=false', '--peer-client-cert-auth=false']),
    )
    expect(args.filter((a) => /^--(peer-)?trusted-ca-file=/.test(a))).toHaveLength(2)
    expect(args.join(' ')).toContain(`--listen-peer-urls=https://127.0.0.1:${peer}`)
    const etcdUrl = `https://127.0.0.1:${client}`
    const pid = await startEtcd(plane.binDir, args, path.join(plane.dir, `etcd-${id}.log`), {
      etcdUrl,
      etcdClient,
    })
    const pods = [`etcd-${id}`, `kube-apiserver-${id}`]
    try {
      // What etcd does: no certificate, no connection, on either port.
      for (const url of [etcdUrl, `https://127.0.0.1:${peer}`]) {
        await expect(
          etcdRequest({ etcdUrl: url, etcdClient: { caFile: etcdClient.caFile } }, 'GET', '/health'),
          url,
        ).rejects.toMatchObject(CERTIFICATE_REQUIRED)
      }
      expect((await etcdRequest({ etcdUrl, etcdClient }, 'GET', '/health')).status).toBe(200)
      // What the audit says, from its mirror pod with that command line (and the apiserver's).
      const command = [path.join(plane.binDir, 'etcd'), ...args]
      expectRunning(pid, command)
      const mirror = await controlPlaneNode(plane, `cp-${id}`)
      await create(
        plane,
        '/api/v1/namespaces/kube-system/pods',
        mirror(pod(`etcd-${id}`, { component: 'etcd', tier: 'control-plane' }, { command })),
      )
      await create(
        plane,
        '/api/v1/namespaces/kube-system/pods',
        mirror(
          pod(
            `kube-apiserver-${id}`,
            { component: 'kube-apiserver', tier: 'control-plane' },
            { command: realCommand(plane, 'kube-apiserver') },
          ),
        ),
      )
      const report = parse(await safeSecret(plane, ['audit', '-o', 'json']))
      expect(status(report, 'etcd-transport')?.signal).toContain(`kube-system/pod/etcd-${id}`)
      expect(findings(report, 'etcd-transport')).toEqual([])
      expect(status(report, 'etcd-transport')?.status).toBe('pass')
    } finally {
      await stopProcess(pid)
      for (const name of pods) await remove(plane, `/api/v1/namespaces/kube-system/pods/${name}`)
    }
  })
})
