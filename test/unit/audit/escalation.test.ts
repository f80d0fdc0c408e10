import { describe, expect, it } from 'vitest'
import { checkSecretEscalation, secretsOfPod } from '../../../src/audit/cluster/escalation.js'
import type { ClusterSnapshot, Role, RoleBinding } from '../../../src/audit/cluster/types.js'
import { emptySnapshot, ok } from '../../fixtures/audit/cluster-fixtures.js'

const snapshot = (over: Partial<ClusterSnapshot>) =>
  emptySnapshot({
    namespace: undefined,
    secrets: ok([{ metadata: { name: 'db', namespace: 'shop' } }]),
    pods: ok([
      {
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          volumes: [{ name: 'v', secret: { secretName: 'db' } }],
          containers: [{ name: 'c', envFrom: [{ secretRef: { name: 'api' } }] }],
        },
      },
    ]),
    ...over,
  })

const cr = (name: string, rules: Role['rules'], labels?: Record<string, string>, agg?: string): Role => ({
  metadata: { name, ...(labels ? { labels } : {}) },
  rules,
  ...(agg ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [agg]: 'true' } }] } } : {}),
})
const rb = (name: string, role: string, subject: RoleBinding['subjects']): RoleBinding => ({
  metadata: { name, namespace: 'shop' },
  roleRef: { kind: 'ClusterRole', name: role },
  subjects: subject,
})

describe('secret escalation paths', () => {
  it('names the Secrets a Pod uses: volumes, projected, env and envFrom', () => {
    expect(
      secretsOfPod({
        volumes: [
          { name: 'a', secret: { secretName: 'one' } },
          { name: 'b', projected: { sources: [{ secret: { name: 'two' } }] } },
        ],
        containers: [
          { name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'three', key: 'k' } } }] },
        ],
      }),
    ).toEqual(['one', 'three', 'two'])
  })

  it("counts an ephemeral container's environment, not the imagePullSecrets the Pod never sees", () => {
    expect(
      secretsOfPod({
        ephemeralContainers: [
          { name: 'debug', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'four', key: 'k' } } }] },
        ],
        imagePullSecrets: [{ name: 'registry' }],
      }),
    ).toEqual(['four'])
  })

  it('every kind, in words, with well-known roles named and aggregation resolved', () => {
    const r = checkSecretEscalation(
      snapshot({
        clusterRoles: ok([
          cr('edit', [], undefined, 'agg-edit'),
          cr('edit-part', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }], {
            'agg-edit': 'true',
          }),
          cr('imp', [{ apiGroups: [''], resources: ['groups'], verbs: ['impersonate'] }]),
          cr('binder', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['bind'] }]),
          cr('patcher', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] }]),
          cr('sub', [{ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] }]),
        ]),
        clusterRoleBindings: ok([
          {
            metadata: { name: 'imp' },
            roleRef: { kind: 'ClusterRole', name: 'imp' },
            subjects: [{ kind: 'ServiceAccount', name: 'ci-bot', namespace: 'kube-system' }],
          },
        ]),
        roleBindings: ok([
          rb('dev', 'edit', [{ kind: 'User', name: 'dev' }]),
          rb('binder', 'binder', [{ kind: 'User', name: 'b' }]),
          rb('patcher', 'patcher', [{ kind: 'Group', name: 'deployers' }]),
          rb('sub', 'sub', [{ kind: 'User', name: 's' }]),
        ]),
      }),
    )
    const by = (prefix: string) => r.findings.find((f) => f.detail.startsWith(prefix))
    expect(by('User dev ')?.detail).toMatch(
      /^User dev can exec into pods in shop, which mount Secrets api, db \(pod web\).*ClusterRole edit \(Kubernetes' default edit role\) via RoleBinding shop\/dev$/,
    )
    expect(by('User dev ')?.level).toBe('medium')
    expect(by('User s ')?.detail).toMatch(/can exec into pods in shop/)
    expect(by('ServiceAccount kube-system/ci-bot ')).toMatchObject({ level: 'high', where: 'all namespaces' })
    expect(by('ServiceAccount kube-system/ci-bot ')?.detail).toMatch(
      /can impersonate groups cluster-wide .*system:masters/,
    )
    expect(by('User b ')?.detail).toMatch(/can bind roles in shop: it can grant itself/)
    expect(by('Group deployers ')?.detail).toMatch(
      /can patch deployments in shop, and so change a pod template to mount any Secret of shop: db/,
    )
    expect(r.summary.status).toBe('fail')
  })
})
