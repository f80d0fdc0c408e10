/**
 * RBAC ground truth: an RBAC fixture with ServiceAccounts in kube-system,
 * aggregated ClusterRoles (the aggregation controller runs, so the API server
 * sees the aggregated rules too) and every escalation kind, on a control plane
 * of its own. For every fixture subject, namespace and permission, the API
 * server's SubjectAccessReview answer is compared with the audit: whatever the
 * server allows must be a finding for that subject (or a group it is in), in
 * that namespace or for all namespaces. No false negative.
 */
import https from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adminRequest,
  type ControlPlaneState,
  startControlPlane,
  stopControlPlane,
} from '../cluster/control-plane.js'
import { createNamespace } from '../helpers/cluster-api.js'
import { safeSecret } from '../helpers/plugin.js'

const RBAC = '/apis/rbac.authorization.k8s.io/v1'
const GROUP = 'rbac.authorization.k8s.io'

interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount'
  name: string
  namespace?: string
}

interface Permission {
  check: 'secret-readers' | 'secret-mounters' | 'secret-escalation'
  verb: string
  group: string
  resource: string
  subresource?: string
  /** Not namespaced: asked at the cluster scope only. */
  cluster?: boolean
}

const PERMISSIONS: Permission[] = [
  { check: 'secret-readers', verb: 'get', group: '', resource: 'secrets' },
  { check: 'secret-readers', verb: 'list', group: '', resource: 'secrets' },
  { check: 'secret-readers', verb: 'watch', group: '', resource: 'secrets' },
  { check: 'secret-mounters', verb: 'create', group: '', resource: 'pods' },
  { check: 'secret-mounters', verb: 'create', group: 'apps', resource: 'deployments' },
  { check: 'secret-escalation', verb: 'create', group: '', resource: 'pods', subresource: 'exec' },
  { check: 'secret-escalation', verb: 'impersonate', group: '', resource: 'users', cluster: true },
  { check: 'secret-escalation', verb: 'impersonate', group: '', resource: 'groups', cluster: true },
  { check: 'secret-escalation', verb: 'impersonate', group: '', resource: 'serviceaccounts' },
  { check: 'secret-escalation', verb: 'escalate', group: GROUP, resource: 'roles' },
  { check: 'secret-escalation', verb: 'bind', group: GROUP, resource: 'roles' },
  { check: 'secret-escalation', verb: 'escalate', group: GROUP, resource: 'clusterroles', cluster: true },
  { check: 'secret-escalation', verb: 'bind', group: GROUP, resource: 'clusterroles', cluster: true },
  ...['deployments', 'daemonsets', 'statefulsets'].flatMap((resource) =>
    ['patch', 'update'].map((verb) => ({
      check: 'secret-escalation' as const,
      verb,
      group: 'apps',
      resource,
    })),
  ),
  ...['jobs', 'cronjobs'].flatMap((resource) =>
    ['patch', 'update'].map((verb) => ({
      check: 'secret-escalation' as const,
      verb,
      group: 'batch',
      resource,
    })),
  ),
]

function subjectText(s: Subject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`
}

/** The user and groups a SubjectAccessReview asks about, and the names a finding may carry. */
function identity(s: Subject): { user: string; groups: string[]; names: string[] } {
  if (s.kind === 'User') return { user: s.name, groups: [], names: [subjectText(s)] }
  if (s.kind === 'Group') return { user: 'probe-user', groups: [s.name], names: [subjectText(s)] }
  const groups = ['system:serviceaccounts', `system:serviceaccounts:${s.namespace}`]
  return {
    user: `system:serviceaccount:${s.namespace}:${s.name}`,
    groups,
    names: [subjectText(s), ...groups.map((g) => `Group ${g}`)],
  }
}

interface JsonReport {
  findings: { check: string; severity: string; where: string; detail: string }[]
  checks: { check: string; status: string }[]
}

describe('RBAC: the audit against SubjectAccessReview', () => {
  let plane: ControlPlaneState
  let ns1: string
  let ns2: string
  const agent = new https.Agent({ keepAlive: true, maxSockets: 8 })
  const subjects: Subject[] = []

  async function post(path: string, body: object): Promise<void> {
    const res = await adminRequest(plane, 'POST', path, body, undefined, agent)
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${res.body}`)
  }
  async function clusterRole(
    name: string,
    rules: object[],
    labels?: Record<string, string>,
    aggregate?: string,
  ) {
    await post(`${RBAC}/clusterroles`, {
      metadata: { name, ...(labels ? { labels } : {}) },
      rules: aggregate ? [] : rules,
      ...(aggregate
        ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregate]: 'true' } }] } }
        : {}),
    })
  }
  async function bind(
    where: string | undefined,
    name: string,
    roleKind: string,
    role: string,
    who: Subject[],
  ) {
    subjects.push(...who)
    await post(where ? `${RBAC}/namespaces/${where}/rolebindings` : `${RBAC}/clusterrolebindings`, {
      metadata: { name },
      roleRef: { apiGroup: GROUP, kind: roleKind, name: role },
      subjects: who.map((s) => (s.kind === 'ServiceAccount' ? s : { apiGroup: GROUP, ...s })),
    })
  }

  beforeAll(async () => {
    plane = await startControlPlane({ extraControllers: ['clusterrole-aggregation-controller'] })
    ns1 = await createNamespace(plane, 'rbac-a')
    ns2 = await createNamespace(plane, 'rbac-b')
    for (const ns of [ns1, ns2, 'kube-system']) {
      await post(`/api/v1/namespaces/${ns}/secrets`, { metadata: { name: 'db' }, stringData: { pw: 'x' } })
    }
    await post(`/api/v1/namespaces/${ns1}/pods`, {
      metadata: { name: 'web' },
      spec: {
        containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }],
        volumes: [{ name: 's', secret: { secretName: 'db' } }],
      },
    })
    const sa = (name: string, namespace = 'kube-system'): Subject => ({
      kind: 'ServiceAccount',
      name,
      namespace,
    })
    // kube-system ServiceAccounts that are not the control plane.
    await bind(undefined, 'ci-bot-admin', 'ClusterRole', 'cluster-admin', [sa('ci-bot')])
    await clusterRole('audit-secret-reader', [
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
    ])
    await bind(undefined, 'extra-for-a-controller', 'ClusterRole', 'audit-secret-reader', [
      sa('deployment-controller'),
    ])
    await bind('kube-system', 'monitoring', 'ClusterRole', 'audit-secret-reader', [sa('monitoring-agent')])
    // Aggregated ClusterRoles: a custom one, and Kubernetes' own edit and admin.
    await clusterRole('audit-agg', [], undefined, 'audit-agg/part')
    await clusterRole('audit-agg-exec', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }], {
      'audit-agg/part': 'true',
    })
    await clusterRole(
      'audit-agg-templates',
      [{ apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['patch'] }],
      { 'audit-agg/part': 'true' },
    )
    await bind(ns1, 'agg', 'ClusterRole', 'audit-agg', [{ kind: 'User', name: 'u-agg' }])
    await bind(ns2, 'editors', 'ClusterRole', 'edit', [{ kind: 'Group', name: 'g-editors' }])
    await bind(ns1, 'admins', 'ClusterRole', 'admin', [{ kind: 'User', name: 'u-admin' }])
    // Every escalation kind.
    await clusterRole('audit-impersonate', [
      { apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] },
    ])
    await bind(undefined, 'impersonator', 'ClusterRole', 'audit-impersonate', [
      { kind: 'User', name: 'u-imp' },
    ])
    await post(`${RBAC}/namespaces/${ns2}/roles`, {
      metadata: { name: 'sa-impersonate' },
      rules: [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }],
    })
    await bind(ns2, 'sa-impersonate', 'Role', 'sa-impersonate', [sa('deployer', ns2)])
    await post(`${RBAC}/namespaces/${ns1}/roles`, {
      metadata: { name: 'binder' },
      rules: [{ apiGroups: [GROUP], resources: ['roles'], verbs: ['bind', 'escalate'] }],
    })
    await bind(ns1, 'binder', 'Role', 'binder', [sa('binder', ns1)])
    await clusterRole('audit-escalate', [
      { apiGroups: [GROUP], resources: ['clusterroles'], verbs: ['escalate'] },
    ])
    await bind(undefined, 'escalator', 'ClusterRole', 'audit-escalate', [{ kind: 'User', name: 'u-esc' }])
    await post(`${RBAC}/namespaces/${ns2}/roles`, {
      metadata: { name: 'templates' },
      rules: [
        { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['update'] },
        { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['patch'] },
      ],
    })
    await bind(ns2, 'templates', 'Role', 'templates', [{ kind: 'User', name: 'u-tpl' }])
    await post(`${RBAC}/namespaces/${ns1}/roles`, {
      metadata: { name: 'any-exec' },
      rules: [{ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] }],
    })
    await bind(ns1, 'any-exec', 'Role', 'any-exec', [
      { kind: 'Group', name: `system:serviceaccounts:${ns1}` },
    ])
    // The aggregation controller fills the aggregated roles: wait until the API server sees them.
    const deadline = Date.now() + 60_000
    for (;;) {
      const res = await adminRequest(
        plane,
        'GET',
        `${RBAC}/clusterroles/audit-agg`,
        undefined,
        undefined,
        agent,
      )
      const rules = (JSON.parse(res.body) as { rules?: unknown[] }).rules ?? []
      if (rules.length >= 2) break
      if (Date.now() > deadline) throw new Error('the aggregation controller did not fill audit-agg')
      await new Promise((r) => setTimeout(r, 200))
    }
  }, 180_000)

  afterAll(async () => {
    agent.destroy()
    if (plane) await stopControlPlane(plane)
  })

  it('every (subject, namespace, permission) the API server allows is a finding', async () => {
    const res = await safeSecret(plane, ['audit', '-A', '-o', 'json'], { timeoutMs: 120_000 })
    expect(res.stderr).toBe('')
    const report = JSON.parse(res.stdout) as JsonReport
    const unique = [...new Map(subjects.map((s) => [subjectText(s), s])).values()]
    const asked: string[] = []
    const missing: string[] = []
    for (const subject of unique) {
      const who = identity(subject)
      // The bootstrap role of deployment-controller gives it deployments and pods: the control plane's own.
      const permissions =
        subject.name === 'deployment-controller'
          ? PERMISSIONS.filter((p) => p.check === 'secret-readers')
          : PERMISSIONS
      for (const p of permissions) {
        for (const ns of p.cluster ? [undefined] : [ns1, ns2, 'kube-system']) {
          const review = await adminRequest(
            plane,
            'POST',
            '/apis/authorization.k8s.io/v1/subjectaccessreviews',
            {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SubjectAccessReview',
              spec: {
                user: who.user,
                groups: who.groups,
                resourceAttributes: {
                  namespace: ns,
                  verb: p.verb,
                  group: p.group,
                  resource: p.resource,
                  subresource: p.subresource,
                },
              },
            },
            undefined,
            agent,
          )
          const allowed = (JSON.parse(review.body) as { status?: { allowed?: boolean } }).status?.allowed
          if (!allowed) continue
          const what = `${subjectText(subject)} ${p.verb} ${p.resource}${p.subresource ? `/${p.subresource}` : ''} in ${ns ?? 'the cluster'}`
          asked.push(what)
          const found = report.findings.some(
            (f) =>
              f.check === p.check &&
              f.severity !== 'info' &&
              (f.where === 'all namespaces' || f.where === ns) &&
              who.names.some((n) => f.detail.startsWith(`${n} `)),
          )
          if (!found) missing.push(what)
        }
      }
    }
    console.log(
      `SubjectAccessReview allowed ${asked.length} subject/namespace/permission triples; the audit missed ${missing.length}`,
    )
    expect(missing).toEqual([])
    // Every escalation kind was allowed somewhere, so each was compared.
    expect(asked.length).toBeGreaterThan(60)
    for (const word of [
      'pods/exec',
      'impersonate users',
      'impersonate serviceaccounts',
      'bind roles',
      'escalate clusterroles',
      'update daemonsets',
      'patch cronjobs',
      'patch statefulsets',
    ]) {
      expect(asked.join('\n'), word).toContain(word)
    }
  }, 300_000)

  it('names the paths in words and the well-known roles as such', async () => {
    const res = await safeSecret(plane, ['audit', '-A', '-o', 'json'], { timeoutMs: 120_000 })
    const report = JSON.parse(res.stdout) as JsonReport
    const escalation = report.findings.filter((f) => f.check === 'secret-escalation').map((f) => f.detail)
    expect(escalation).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^User u-agg can exec into pods in ${ns1}, which mount Secret db \\(pod web\\)`),
        ),
        expect.stringMatching(
          new RegExp(
            `^Group g-editors can exec into pods in ${ns2}.*ClusterRole edit \\(Kubernetes' default edit role\\) via RoleBinding ${ns2}/editors`,
          ),
        ),
        expect.stringMatching(
          /^User u-imp can impersonate users, groups cluster-wide \(a group such as system:masters bypasses RBAC\)/,
        ),
        expect.stringMatching(/^User u-esc can escalate clusterroles cluster-wide: it can grant itself/),
        expect.stringMatching(
          new RegExp(
            `^ServiceAccount ${ns1}/binder can (bind roles, escalate roles|escalate roles, bind roles) in ${ns1}: it can grant itself`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^User u-tpl can update daemonsets, patch jobs, patch cronjobs in ${ns2}, and so change a pod template to mount any Secret of ${ns2}: db`,
          ),
        ),
      ]),
    )
    const readers = report.findings.filter((f) => f.check === 'secret-readers')
    expect(readers.find((f) => f.detail.startsWith('ServiceAccount kube-system/ci-bot '))).toMatchObject({
      severity: 'high',
      where: 'all namespaces',
    })
    expect(
      readers.find((f) => f.detail.startsWith('ServiceAccount kube-system/deployment-controller '))?.detail,
    ).toMatch(/audit-secret-reader via ClusterRoleBinding extra-for-a-controller$/)
  }, 180_000)
})
