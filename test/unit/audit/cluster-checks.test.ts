import { describe, expect, it } from 'vitest'
import { checkSecretMounters, checkSecretReaders } from '../../../src/audit/cluster/access.js'
import { checkEtcdTransport, etcdPodFindings } from '../../../src/audit/cluster/etcd.js'
import { podFlags } from '../../../src/audit/cluster/pod-flags.js'
import { effectiveClusterRoleRules, grantOf, selectorMatches } from '../../../src/audit/cluster/rbac.js'
import { auditSnapshot } from '../../../src/audit/cluster/run-cluster.js'
import { checkLastApplied, checkSecretLifetime, expires } from '../../../src/audit/cluster/secret-metadata.js'
import type { Pod, Role, RoleBinding, SecretMeta } from '../../../src/audit/cluster/types.js'
import { checkSecretEnv } from '../../../src/audit/cluster/workload-secrets.js'
import { exitCodeFor } from '../../../src/audit/findings.js'
import { renderJson, renderTable } from '../../../src/audit/report.js'
import {
  emptySnapshot,
  kubeadmApiserverCommand,
  kubeadmEtcdCommand,
  ok,
} from '../../fixtures/audit/cluster-fixtures.js'

const forbidden = (what: string) => ({ ok: false as const, reason: `Forbidden: cannot list ${what}` })

const snapshot = emptySnapshot

const role = (
  name: string,
  rules: Role['rules'],
  extra: Partial<Role> = {},
  labels?: Record<string, string>,
): Role => ({
  metadata: { name, ...(labels ? { labels } : {}) },
  rules,
  ...extra,
})
const crb = (name: string, roleName: string, subjects: RoleBinding['subjects']): RoleBinding => ({
  metadata: { name },
  roleRef: { kind: 'ClusterRole', name: roleName },
  subjects,
})
const rb = (
  ns: string,
  name: string,
  kind: string,
  roleName: string,
  subjects: RoleBinding['subjects'],
): RoleBinding => ({
  metadata: { name, namespace: ns },
  roleRef: { kind, name: roleName },
  subjects,
})

describe('RBAC resolution', () => {
  it('matches label selectors with every operator', () => {
    const labels = { a: '1', b: '2' }
    expect(selectorMatches({ matchLabels: { a: '1' } }, labels)).toBe(true)
    expect(
      selectorMatches({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '3'] }] }, labels),
    ).toBe(true)
    expect(
      selectorMatches({ matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['2'] }] }, labels),
    ).toBe(false)
    expect(selectorMatches({ matchExpressions: [{ key: 'c', operator: 'DoesNotExist' }] }, labels)).toBe(true)
    expect(selectorMatches({ matchExpressions: [{ key: 'c', operator: 'Exists' }] }, labels)).toBe(false)
  })

  it('resolves aggregation transitively (admin ← edit ← view-like chains)', () => {
    const rules = effectiveClusterRoleRules([
      role('top', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'to-top': 'true' } }] } }),
      role(
        'middle',
        [],
        { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'to-middle': 'true' } }] } },
        { 'to-top': 'true' },
      ),
      role(
        'leaf',
        [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
        {},
        { 'to-middle': 'true' },
      ),
    ])
    expect(
      grantOf(rules.get('top') ?? [], { group: '', resource: 'secrets', verbs: ['get', 'list'] })?.verbs,
    ).toEqual(['list'])
  })

  it('grants through wildcards and notes resourceNames', () => {
    const want = { group: '', resource: 'secrets', verbs: ['get', 'list', 'watch'] }
    expect(grantOf([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], want)).toEqual({
      verbs: ['get', 'list', 'watch'],
      wildcard: true,
    })
    expect(
      grantOf([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['a'] }], want),
    ).toEqual({
      verbs: ['get'],
      wildcard: false,
      resourceNames: ['a'],
    })
    expect(grantOf([{ apiGroups: ['apps'], resources: ['secrets'], verbs: ['get'] }], want)).toBeUndefined()
    expect(
      grantOf([{ apiGroups: [''], resources: ['secrets/status'], verbs: ['get'] }], want),
    ).toBeUndefined()
    expect(grantOf([{ nonResourceURLs: ['/metrics'], verbs: ['get'] }], want)).toBeUndefined()
  })
})

describe('who can read and mount Secrets', () => {
  const clusterRoles = [
    role('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    role('reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]),
    role('named', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['one'] }]),
    role('system:controller:generic-garbage-collector', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch', 'patch', 'update', 'delete'] },
    ]),
  ]
  const bindings = [
    crb('cluster-admin', 'cluster-admin', [{ kind: 'Group', name: 'system:masters' }]),
    crb('system:controller:generic-garbage-collector', 'system:controller:generic-garbage-collector', [
      { kind: 'ServiceAccount', name: 'generic-garbage-collector', namespace: 'kube-system' },
    ]),
    crb('ops', 'reader', [{ kind: 'User', name: 'ops' }]),
  ]
  const roleBindings = [
    rb('shop', 'dev', 'ClusterRole', 'reader', [{ kind: 'Group', name: 'devs' }]),
    rb('shop', 'one', 'ClusterRole', 'named', [{ kind: 'User', name: 'bot' }]),
    rb('shop', 'all', 'Role', 'creator', [{ kind: 'Group', name: 'system:serviceaccounts:shop' }]),
  ]
  const roles = [
    {
      metadata: { name: 'creator', namespace: 'shop' },
      rules: [{ apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['create'] }],
    },
  ]
  const snap = snapshot({
    clusterRoles: ok(clusterRoles),
    clusterRoleBindings: ok(bindings),
    roles: ok(roles),
    roleBindings: ok(roleBindings),
    secrets: ok([{ metadata: { name: 's', namespace: 'shop' } }]),
  })

  it('readers: severities by scope, control plane shown apart', () => {
    const r = checkSecretReaders(snap)
    const by = (prefix: string) => r.findings.find((f) => f.detail.startsWith(prefix))
    expect(by('User ops ')).toMatchObject({ level: 'high', where: 'all namespaces' })
    expect(by('Group devs ')).toMatchObject({ level: 'medium', where: 'shop' })
    expect(by('User bot ')).toMatchObject({ level: 'low' })
    expect(by('User bot ')?.detail).toMatch(/named Secrets only/)
    const info = r.findings.filter((f) => f.level === 'info')
    expect(info).toHaveLength(1)
    expect(info[0]?.detail).toMatch(/^2 control plane identities .*system:masters.*generic-garbage-collector/)
    expect(r.summary.status).toBe('fail')
  })

  it('mounters: everyone who can create pod-making workloads where Secrets live', () => {
    const r = checkSecretMounters(snap)
    const sa = r.findings.find((f) => f.detail.startsWith('Group system:serviceaccounts:shop'))
    expect(sa).toMatchObject({ level: 'high', where: 'shop' })
    expect(sa?.detail).toMatch(/create cronjobs/)
    // A namespace without Secrets does not matter.
    const none = checkSecretMounters({ ...snap, secrets: ok([]) })
    expect(none.findings.filter((f) => f.level !== 'info')).toEqual([])
  })

  it('control plane identities are named exactly: any other kube-system subject is reported', () => {
    const sa = (name: string) => ({ kind: 'ServiceAccount', name, namespace: 'kube-system' })
    const r = checkSecretReaders({
      ...snap,
      clusterRoleBindings: ok([
        ...bindings,
        crb('ci-bot', 'cluster-admin', [sa('ci-bot')]),
        // A controller's ServiceAccount through a binding someone added: reported too.
        crb('extra', 'reader', [sa('deployment-controller')]),
        crb('kcm', 'reader', [{ kind: 'User', name: 'system:kube-controller-manager' }]),
        crb('nodes', 'reader', [{ kind: 'Group', name: 'system:nodes' }]),
        crb('proxy', 'reader', [{ kind: 'User', name: 'system:kube-proxy' }]),
      ]),
    })
    const reported = r.findings.filter((f) => f.level !== 'info').map((f) => f.detail.split(' can ')[0])
    expect(reported).toEqual(
      expect.arrayContaining([
        'ServiceAccount kube-system/ci-bot',
        'ServiceAccount kube-system/deployment-controller',
        'Group system:nodes',
        'User system:kube-proxy',
      ]),
    )
    expect(reported.join('\n')).not.toMatch(
      /generic-garbage-collector|system:masters|kube-controller-manager/,
    )
    const [info] = r.findings.filter((f) => f.level === 'info')
    expect(info?.detail).toMatch(/^3 control plane identities .*system:kube-controller-manager/)
    expect(r.findings.find((f) => f.detail.startsWith('ServiceAccount kube-system/ci-bot'))?.level).toBe(
      'high',
    )
  })

  it('unknown when RBAC cannot be read', () => {
    const r = checkSecretReaders({ ...snap, clusterRoles: forbidden('clusterroles') })
    expect(r.summary.status).toBe('unknown')
    expect(r.findings).toEqual([
      expect.objectContaining({ level: 'unknown', detail: expect.stringMatching(/Forbidden/) }),
    ])
  })
})

/** A mirror pod, as the kubelet creates it for a static pod. */
const staticPod = (component: string, command: string[]): Pod => ({
  metadata: {
    name: `${component}-cp1`,
    namespace: 'kube-system',
    labels: { component },
    annotations: { 'kubernetes.io/config.mirror': 'abc123' },
    ownerReferences: [{ kind: 'Node', name: 'cp1', controller: true }],
  },
  spec: { containers: [{ name: component, command }] },
})

const SECURE_ETCD = kubeadmEtcdCommand()
const SECURE_APISERVER = kubeadmApiserverCommand()

describe('etcd transport', () => {
  it('parses --flag=value, --flag value and booleans', () => {
    const f = podFlags(staticPod('etcd', ['etcd', '--a=1', '--b', '2', '--c', '--d=x=y']), 'etcd')
    expect([...f]).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', 'true'],
      ['d', 'x=y'],
    ])
  })

  it('a kubeadm-like etcd is clean', () => {
    expect(etcdPodFindings(staticPod('etcd', SECURE_ETCD))).toEqual([])
    const r = checkEtcdTransport(
      snapshot({
        controlPlanePods: ok([staticPod('etcd', SECURE_ETCD), staticPod('kube-apiserver', SECURE_APISERVER)]),
      }),
    )
    expect(r.summary.status).toBe('pass')
  })

  it('a --trusted-ca-file requires client certificates even with --client-cert-auth=false, as etcd does', () => {
    const withCa = SECURE_ETCD.map((a) =>
      a.replace(/^--(peer-)?client-cert-auth=true$/, '--$1client-cert-auth=false'),
    )
    expect(withCa).toContain('--client-cert-auth=false')
    expect(withCa).toContain('--peer-client-cert-auth=false')
    expect(etcdPodFindings(staticPod('etcd', withCa))).toEqual([])
    const neither = withCa.filter((a) => !/^--(peer-)?trusted-ca-file=/.test(a))
    expect(etcdPodFindings(staticPod('etcd', neither)).map((f) => [f.level, f.detail])).toEqual([
      [
        'high',
        expect.stringMatching(
          /^etcd does not require client certificates \(neither --client-cert-auth=true nor --trusted-ca-file\)/,
        ),
      ],
      [
        'medium',
        expect.stringMatching(
          /^etcd does not require peer certificates \(neither --peer-client-cert-auth=true nor --peer-trusted-ca-file\)/,
        ),
      ],
    ])
  })

  it('only mirror pods count: a labelled ordinary pod is ignored, and named in the note', () => {
    const fake = (p: Pod, meta: Partial<Pod['metadata']>): Pod => ({
      ...p,
      metadata: { ...p.metadata, name: `fake-${p.metadata.name}`, ...meta },
    })
    const noAnnotation = fake(staticPod('etcd', SECURE_ETCD), { annotations: {} })
    const noNodeOwner = fake(staticPod('kube-apiserver', SECURE_APISERVER), {
      ownerReferences: [{ kind: 'ReplicaSet', name: 'x' }],
    })
    const r = checkEtcdTransport(snapshot({ controlPlanePods: ok([noAnnotation, noNodeOwner]) }))
    expect(r.summary.status).toBe('unknown')
    expect(r.findings.map((f) => f.level)).toEqual(['unknown', 'unknown'])
    expect(r.findings[0]?.fix).toMatch(/^check by hand: .*curl/)
    expect(r.summary.note).toMatch(
      /ignored kube-system\/pod\/fake-etcd-cp1, kube-system\/pod\/fake-kube-apiserver-cp1/,
    )
  })

  it('no visible pods: unknown, not a pass', () => {
    const r = checkEtcdTransport(snapshot({}))
    expect(r.summary.status).toBe('unknown')
    expect(r.findings.map((f) => f.level)).toEqual(['unknown', 'unknown'])
  })
})

const secret = (name: string, meta: Partial<SecretMeta['metadata']> = {}): SecretMeta => ({
  metadata: { name, namespace: 'shop', creationTimestamp: '2026-11-25T00:00:00Z', ...meta },
})

describe('Secret metadata checks', () => {
  it('names the keys of a last-applied copy, never its values', () => {
    const value = 'VALUE-never-printed'
    const s = secret('a', {
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          data: { pw: Buffer.from(value).toString('base64') },
          stringData: { u: value },
        }),
      },
    })
    const r = checkLastApplied(snapshot({ secrets: ok([s, secret('b')]) }))
    expect(r.findings).toHaveLength(1)
    expect(r.findings[0]?.detail).toMatch(/keys: pw, u/)
    const out = renderTable({ scope: 's', findings: r.findings, checks: [r.summary] })
    expect(out).not.toContain(value)
    expect(out).not.toContain(Buffer.from(value).toString('base64'))
  })

  it('knows every expiry convention', () => {
    expect(
      expires(
        secret('a', {
          labels: { 'app.kubernetes.io/managed-by': 'kubectl-safe-secret' },
          annotations: { 'safe-secret.dev/expires-at': 'x' },
        }),
      ),
    ).toBe(true)
    expect(expires(secret('a', { labels: { 'app.kubernetes.io/managed-by': 'kubectl-safe-secret' } }))).toBe(
      false,
    )
    expect(expires(secret('a', { annotations: { 'janitor/expires': '2030-01-01' } }))).toBe(true)
    expect(expires(secret('a', { annotations: { 'janitor/ttl': '2h' } }))).toBe(true)
    expect(expires(secret('a', { annotations: { 'janitor/ttl': 'forever' } }))).toBe(false)
    expect(expires(secret('a', { labels: { 'cleanup.kyverno.io/ttl': '1h' } }))).toBe(true)
    expect(expires(secret('a', { ownerReferences: [{ kind: 'Job', name: 'j' }] }))).toBe(true)
  })

  it('never-expiring Secrets per namespace, and old ones over --max-age, all informational', () => {
    const r = checkSecretLifetime(
      snapshot({
        secrets: ok([
          secret('new'),
          secret('old', { creationTimestamp: '2025-01-01T00:00:00Z' }),
          secret('sa-token', { annotations: { 'kubernetes.io/service-account.name': 'default' } }),
        ]),
      }),
      90 * 86_400_000,
    )
    expect(r.findings.map((f) => [f.level, f.where, f.detail])).toEqual([
      ['info', 'shop/secret/old', expect.stringMatching(/^created 694d ago, over --max-age 90d/)],
      ['info', 'shop', '2 Secrets never expire: new, old'],
    ])
  })
})

describe('Secrets in env vars', () => {
  it('reports workloads once, not the pods they own', () => {
    const template = {
      containers: [{ name: 'c', env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }],
    }
    const r = checkSecretEnv(
      snapshot({
        workloads: ok([
          {
            kind: 'CronJob',
            metadata: { name: 'cj', namespace: 'shop' },
            spec: { jobTemplate: { spec: { template: { spec: template } } } },
          },
          {
            kind: 'Job',
            metadata: {
              name: 'cj-1',
              namespace: 'shop',
              ownerReferences: [{ kind: 'CronJob', name: 'cj', controller: true }],
            },
            spec: { template: { spec: template } },
          },
        ]),
        pods: ok([
          {
            metadata: {
              name: 'cj-1-x',
              namespace: 'shop',
              ownerReferences: [{ kind: 'Job', name: 'cj-1', controller: true }],
            },
            spec: template,
          },
          {
            metadata: { name: 'bare', namespace: 'shop' },
            spec: { initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 's' }, prefix: 'P_' }] }] },
          },
        ]),
      }),
    )
    expect(r.findings.map((f) => [f.where, f.detail])).toEqual([
      ['shop/cronjob/cj', 'Secret values in environment variables: c: T from s/k'],
      ['shop/pod/bare', 'Secret values in environment variables: i: every key of s (prefix P_)'],
    ])
  })
})

describe('the report', () => {
  it('exit codes: --fail-on thresholds, unknowns only with --fail-on-unknown', () => {
    const report = auditSnapshot(snapshot({ metrics: { ok: false, reason: 'Forbidden' } }), { maxAgeMs: 1 })
    expect(report.findings.some((f) => f.level === 'unknown')).toBe(true)
    expect(exitCodeFor(report)).toBe(0)
    expect(exitCodeFor(report, undefined, true)).toBe(3)
    const withLow = {
      ...report,
      findings: [
        ...report.findings,
        { check: 'x', level: 'low' as const, where: 'w', detail: 'd', fix: 'f' },
      ],
    }
    expect(exitCodeFor(withLow, 'low')).toBe(3)
    expect(exitCodeFor(withLow, 'medium')).toBe(0)
  })

  it('json has stable fields, table strips control characters', () => {
    const report = {
      scope: 's',
      findings: [{ check: 'c', level: 'high' as const, where: 'a\u001b[31mb', detail: 'd\nx', fix: 'f' }],
      checks: [],
    }
    expect(JSON.parse(renderJson(report)).findings[0]).toEqual({
      check: 'c',
      severity: 'high',
      where: 'a\u001b[31mb',
      detail: 'd\nx',
      fix: 'f',
    })
    expect(renderTable(report)).not.toContain('\u001b')
    expect(renderTable(report)).toContain('d x')
  })
})
