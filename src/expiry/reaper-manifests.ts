/**
 * The in-cluster reaper: a CronJob that runs `kubectl-safe_secret reap`
 * under its own ServiceAccount, bound to a role that may list and delete
 * Secrets and nothing else. Pure builders; reaper-install.ts applies them.
 */
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, ROLE_LABEL } from './metadata.js'
import { collectionPath } from './pages.js'

/**
 * The default image: the one .github/workflows/release.yml publishes for this
 * version (`npm run release:image` builds it), whose PATH holds
 * `kubectl-safe_secret`. It exists once the version is tagged; any image with
 * that executable on PATH works (--image). test/e2e/release-workflow.test.ts
 * keeps this reference and the workflow's in step with package.json's version.
 */
export const DEFAULT_REAPER_IMAGE = 'ghcr.io/kubectl-safe-secret/kubectl-safe-secret:v0.1.0'
export const DEFAULT_REAPER_NAME = 'safe-secret-reaper'
export const DEFAULT_REAPER_SCHEDULE = '*/5 * * * *'
export const REAPER_ROLE = 'reaper'

export type ReaperScope = 'cluster' | 'namespace'

export interface ReaperSpec {
  name: string
  namespace: string
  image: string
  schedule: string
  /** cluster: reap every namespace (ClusterRole); namespace: only its own (Role). */
  scope: ReaperScope
}

export interface Manifest {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string; labels: Record<string, string> }
  [field: string]: unknown
}

/** Where a kind lives on the API server, and its name for messages (as kubectl prints it). */
export interface KindInfo {
  group: string
  resource: string
  namespaced: boolean
  display: string
}

export const KINDS: Record<string, KindInfo> = {
  ServiceAccount: { group: '', resource: 'serviceaccounts', namespaced: true, display: 'serviceaccount' },
  ClusterRole: {
    group: 'rbac.authorization.k8s.io/v1',
    resource: 'clusterroles',
    namespaced: false,
    display: 'clusterrole.rbac.authorization.k8s.io',
  },
  ClusterRoleBinding: {
    group: 'rbac.authorization.k8s.io/v1',
    resource: 'clusterrolebindings',
    namespaced: false,
    display: 'clusterrolebinding.rbac.authorization.k8s.io',
  },
  Role: {
    group: 'rbac.authorization.k8s.io/v1',
    resource: 'roles',
    namespaced: true,
    display: 'role.rbac.authorization.k8s.io',
  },
  RoleBinding: {
    group: 'rbac.authorization.k8s.io/v1',
    resource: 'rolebindings',
    namespaced: true,
    display: 'rolebinding.rbac.authorization.k8s.io',
  },
  CronJob: { group: 'batch/v1', resource: 'cronjobs', namespaced: true, display: 'cronjob.batch' },
}

/** Cluster-scoped objects carry the namespace in their name, so two installations never collide. */
export function clusterObjectName(spec: Pick<ReaperSpec, 'name' | 'namespace'>): string {
  return `${spec.name}:${spec.namespace}`
}

/** Exactly what the reap needs: list (to find) and delete (to reap) Secrets. Nothing else. */
export const REAPER_RULES = [{ apiGroups: [''], resources: ['secrets'], verbs: ['list', 'delete'] }]

export function reaperManifests(spec: ReaperSpec): Manifest[] {
  const labels = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [ROLE_LABEL]: REAPER_ROLE }
  const ns = spec.namespace
  const cluster = spec.scope === 'cluster'
  const roleName = cluster ? clusterObjectName(spec) : spec.name
  const subjects = [{ kind: 'ServiceAccount', name: spec.name, namespace: ns }]
  const reapArgs = cluster ? ['reap', '--all-namespaces'] : ['reap', '--namespace', ns]
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: spec.name, namespace: ns, labels },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: cluster ? 'ClusterRole' : 'Role',
      metadata: { name: roleName, ...(cluster ? {} : { namespace: ns }), labels },
      rules: REAPER_RULES,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
      metadata: { name: roleName, ...(cluster ? {} : { namespace: ns }), labels },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: cluster ? 'ClusterRole' : 'Role',
        name: roleName,
      },
      subjects,
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: spec.name, namespace: ns, labels },
      spec: {
        schedule: spec.schedule,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 300,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 1800,
            ttlSecondsAfterFinished: 3600,
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: spec.name,
                // The token is mounted for this pod only (the ServiceAccount itself does not automount).
                automountServiceAccountToken: true,
                restartPolicy: 'Never',
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 65532,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                containers: [
                  {
                    name: 'reaper',
                    image: spec.image,
                    command: ['kubectl-safe_secret'],
                    args: reapArgs,
                    resources: {
                      requests: { cpu: '10m', memory: '64Mi' },
                      limits: { memory: '256Mi' },
                    },
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      capabilities: { drop: ['ALL'] },
                    },
                  },
                ],
              },
            },
          },
        },
      },
    },
  ]
}

/** The KINDS entry of a manifest; throws for a kind the reaper never creates. */
export function kindOf(m: Pick<Manifest, 'kind'>): KindInfo {
  const kind = KINDS[m.kind]
  if (!kind) throw new Error(`unknown kind ${m.kind}`)
  return kind
}

export function manifestPath(m: Pick<Manifest, 'kind' | 'metadata'>): string {
  const kind = kindOf(m)
  const scope = { namespace: kind.namespaced ? (m.metadata.namespace ?? '') : undefined }
  return `${collectionPath(kind.group, kind.resource, scope)}/${encodeURIComponent(m.metadata.name)}`
}
