/**
 * The cluster's own identities, named exactly, as Kubernetes' RBAC bootstrap
 * policy creates them (plugin/pkg/auth/authorizer/rbac/bootstrappolicy:
 * controller_policy.go and namespace_policy.go). A grant to one of them is
 * expected and shown apart; a grant to anything else is a finding, whatever
 * namespace it lives in. A controller's ServiceAccount counts only through its
 * own bootstrap role: `kube-system/deployment-controller` bound to cluster-admin
 * is reported like any other subject.
 */
import type { Access } from './rbac.js'

/** Users of the control plane components (authenticated by client certificate). */
const CONTROL_PLANE_USERS = new Set([
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:apiserver',
])

/** Bypasses RBAC altogether: listed, never a finding, always mentioned. */
export const MASTERS_GROUP = 'system:masters'

/**
 * The ServiceAccounts kube-controller-manager runs its controllers as (with
 * --use-service-account-credentials), each bound by ClusterRoleBinding
 * `system:controller:NAME` to ClusterRole `system:controller:NAME`.
 * Some exist only behind a feature gate; naming them all is harmless.
 */
export const CONTROLLER_SERVICE_ACCOUNTS = new Set([
  'attachdetach-controller',
  'certificate-controller',
  'clusterrole-aggregation-controller',
  'cronjob-controller',
  'daemon-set-controller',
  'deployment-controller',
  'device-taint-eviction-controller',
  'disruption-controller',
  'endpoint-controller',
  'endpointslice-controller',
  'endpointslicemirroring-controller',
  'ephemeral-volume-controller',
  'expand-controller',
  'generic-garbage-collector',
  'horizontal-pod-autoscaler',
  'job-controller',
  'kube-apiserver-serving-clustertrustbundle-publisher',
  'legacy-service-account-token-cleaner',
  'namespace-controller',
  'node-controller',
  'persistent-volume-binder',
  'pod-garbage-collector',
  'podcertificaterequestcleaner',
  'pv-protection-controller',
  'pvc-protection-controller',
  'replicaset-controller',
  'replication-controller',
  'resource-claim-controller',
  'resourcequota-controller',
  'root-ca-cert-publisher',
  'route-controller',
  'selinux-warning-controller',
  'service-account-controller',
  'service-cidrs-controller',
  'service-controller',
  'statefulset-controller',
  'storage-version-garbage-collector',
  'storage-version-migrator-controller',
  'ttl-after-finished-controller',
  'ttl-controller',
  'validatingadmissionpolicy-status-controller',
  'volumeattributesclass-protection-controller',
  // namespace_policy.go: Roles `system:controller:NAME` in kube-system (and kube-public).
  'bootstrap-signer',
  'cloud-provider',
  'token-cleaner',
])

/** namespace_policy.go's leader-election Roles in kube-system, and the ServiceAccounts bound to them. */
const LEADER_LOCKING_ROLES: Record<string, string[]> = {
  'system::leader-locking-kube-controller-manager': ['kube-controller-manager', 'leader-election-controller'],
  'system::leader-locking-kube-scheduler': ['kube-scheduler'],
}

const BOOTSTRAP_ROLE_NAMESPACES = new Set(['kube-system', 'kube-public'])

/** Whether this grant is one the bootstrap policy gives the control plane. */
export function isControlPlaneGrant(access: Access): boolean {
  const { subject, role } = access
  if (subject.kind === 'Group') return subject.name === MASTERS_GROUP
  if (subject.kind === 'User') return CONTROL_PLANE_USERS.has(subject.name)
  if (subject.kind !== 'ServiceAccount' || subject.namespace !== 'kube-system') return false
  const viaOwnRole = role.name === `system:controller:${subject.name}`
  if (CONTROLLER_SERVICE_ACCOUNTS.has(subject.name) && viaOwnRole) {
    return role.kind === 'ClusterRole' || BOOTSTRAP_ROLE_NAMESPACES.has(access.namespace ?? '')
  }
  return (
    role.kind === 'Role' &&
    access.namespace === 'kube-system' &&
    (LEADER_LOCKING_ROLES[role.name] ?? []).includes(subject.name)
  )
}
