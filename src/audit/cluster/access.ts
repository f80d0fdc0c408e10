/**
 * Who can read Secrets (get/list/watch) and who can mount them (create Pods or
 * workloads that create Pods, in namespaces that hold Secrets). The cluster's
 * own identities are shown apart, as one informational row per check.
 */
import { type CheckResult, type Finding, type Severity, unknownResult } from '../findings.js'
import { isControlPlaneGrant, MASTERS_GROUP } from './control-plane-identities.js'
import {
  type Access,
  isBroad,
  type Permission,
  type RbacTables,
  rbacTables,
  subjectName,
  whoCan,
} from './rbac.js'
import type { ClusterSnapshot } from './types.js'

export const READERS = 'secret-readers'
export const MOUNTERS = 'secret-mounters'

const BY_HAND =
  "as a cluster admin: 'kubectl get clusterrolebindings,rolebindings -A -o wide' and 'kubectl auth can-i list secrets -n NAMESPACE --as USER' for the subjects you find"

type RbacOrReason = RbacTables | { reason: string }

/** Both checks of a snapshot share its RBAC tables: resolving aggregation is the costly part. */
const rbacBySnapshot = new WeakMap<ClusterSnapshot, RbacOrReason>()

export function rbacOf(s: ClusterSnapshot): RbacOrReason {
  let rbac = rbacBySnapshot.get(s)
  if (rbac === undefined) {
    rbac = readRbac(s)
    rbacBySnapshot.set(s, rbac)
  }
  return rbac
}

function readRbac(s: ClusterSnapshot): RbacOrReason {
  const parts = [s.clusterRoles, s.clusterRoleBindings, s.roles, s.roleBindings]
  const failed = parts.flatMap((p) => (p.ok ? [] : [p.reason]))
  if (failed.length > 0) return { reason: failed.join('; ') }
  const items = <T>(f: { ok: true; items: T[] } | { ok: false }) => (f.ok ? f.items : [])
  return rbacTables(
    items(s.clusterRoles),
    items(s.roles),
    items(s.clusterRoleBindings),
    items(s.roleBindings),
  )
}

export interface Row {
  access: Access
  verbs: Set<string>
  vias: Set<string>
  wildcard: boolean
  named: boolean
}

/** One row per subject and scope, with every binding that gave it the permission. */
function group(accesses: Access[]): Row[] {
  const rows = new Map<string, Row>()
  for (const a of accesses) {
    const key = `${subjectName(a.subject)}|${a.namespace ?? '*'}`
    const row = rows.get(key) ?? {
      access: a,
      verbs: new Set(),
      vias: new Set(),
      wildcard: false,
      named: true,
    }
    for (const v of a.grant.verbs) row.verbs.add(v)
    row.vias.add(a.via)
    row.wildcard ||= a.grant.wildcard
    row.named &&= a.grant.resourceNames !== undefined
    rows.set(key, row)
  }
  return [...rows.values()]
}

/**
 * Grants the bootstrap policy gives the control plane, grouped apart from every
 * other grant. The same subject can be in both: a controller's ServiceAccount
 * through its own role, and through a binding someone added.
 */
export function partition(accesses: Access[]): { system: Row[]; others: Row[] } {
  return {
    system: group(accesses.filter(isControlPlaneGrant)),
    others: group(accesses.filter((a) => !isControlPlaneGrant(a))),
  }
}

function controlPlaneRow(check: string, rows: Row[], what: string): Finding {
  const others = [...new Set(rows.map((r) => subjectName(r.access.subject)))].filter(
    (n) => n !== `Group ${MASTERS_GROUP}`,
  )
  const names = [`Group ${MASTERS_GROUP} (bypasses RBAC)`, ...others]
  const shown = names.length > 4 ? [...names.slice(0, 4), `and ${names.length - 4} more`] : names
  return {
    check,
    level: 'info',
    where: 'all namespaces',
    detail: `${names.length} control plane identities ${what} (expected, shown apart): ${shown.join(', ')}`,
    fix: 'none needed; keep membership of system:masters to break-glass use',
  }
}

export function scopeText(ns: string | undefined): string {
  return ns === undefined ? 'all namespaces' : ns
}

export function checkSecretReaders(snapshot: ClusterSnapshot): CheckResult {
  const rbac = rbacOf(snapshot)
  if ('reason' in rbac) {
    return unknownResult(READERS, scopeText(snapshot.namespace), rbac.reason, BY_HAND)
  }
  const want: Permission = { group: '', resource: 'secrets', verbs: ['get', 'list', 'watch'] }
  const { system, others } = partition(whoCan(want, rbac))
  const findings: Finding[] = [controlPlaneRow(READERS, system, 'can read Secrets')]
  for (const r of others) {
    const { subject, namespace } = r.access
    let level: Severity = namespace === undefined ? 'high' : r.named ? 'low' : 'medium'
    if (isBroad(subject)) level = 'high'
    const verbs = [...r.verbs].join(', ')
    const extra = [r.wildcard ? 'through a wildcard rule' : '', r.named ? 'named Secrets only' : '']
      .filter(Boolean)
      .join(', ')
    findings.push({
      check: READERS,
      level,
      where: scopeText(namespace),
      detail: `${subjectName(subject)}${isBroad(subject) ? ' (everyone in it)' : ''} can ${verbs} Secrets in ${scopeText(namespace)}${extra ? ` (${extra})` : ''}: ${[...r.vias].join('; ')}`,
      fix: 'grant Secret reads only to identities that need them: drop the binding, or narrow the role (no wildcards, resourceNames, a namespace instead of the cluster)',
    })
  }
  return {
    findings,
    summary: {
      check: READERS,
      status: findings.some((f) => f.level !== 'info') ? 'fail' : 'pass',
      signal: 'ClusterRoles (aggregation resolved), Roles and their bindings',
    },
  }
}

const POD_CREATORS: Permission[] = [
  { group: '', resource: 'pods', verbs: ['create'] },
  { group: 'apps', resource: 'deployments', verbs: ['create'] },
  { group: 'apps', resource: 'replicasets', verbs: ['create'] },
  { group: 'apps', resource: 'statefulsets', verbs: ['create'] },
  { group: 'apps', resource: 'daemonsets', verbs: ['create'] },
  { group: 'batch', resource: 'jobs', verbs: ['create'] },
  { group: 'batch', resource: 'cronjobs', verbs: ['create'] },
  { group: '', resource: 'replicationcontrollers', verbs: ['create'] },
]

export function checkSecretMounters(snapshot: ClusterSnapshot): CheckResult {
  const rbac = rbacOf(snapshot)
  if ('reason' in rbac) {
    return unknownResult(
      MOUNTERS,
      scopeText(snapshot.namespace),
      rbac.reason,
      BY_HAND.replace('list secrets', 'create pods'),
    )
  }
  // Only namespaces that hold Secrets matter; when Secrets cannot be listed, assume every namespace does.
  const withSecrets = snapshot.secrets.ok
    ? new Set(snapshot.secrets.items.map((s) => s.metadata.namespace ?? ''))
    : undefined
  const holds = (ns: string | undefined) => ns === undefined || !withSecrets || withSecrets.has(ns)
  const accesses: Access[] = []
  for (const p of POD_CREATORS) {
    for (const a of whoCan(p, rbac)) {
      if (!holds(a.namespace)) continue
      accesses.push({ ...a, grant: { ...a.grant, verbs: [p.resource] } })
    }
  }
  const { system, others } = partition(accesses)
  const findings: Finding[] = [controlPlaneRow(MOUNTERS, system, 'can create Pods')]
  const nsCount = withSecrets
    ? `${withSecrets.size} namespace${withSecrets.size === 1 ? '' : 's'} in scope hold Secrets`
    : 'Secrets could not be listed'
  for (const r of others) {
    const { subject, namespace } = r.access
    const level: Severity = namespace === undefined || isBroad(subject) ? 'high' : 'medium'
    findings.push({
      check: MOUNTERS,
      level,
      where: scopeText(namespace),
      detail: `${subjectName(subject)} can create ${[...r.verbs].join(', ')} in ${namespace === undefined ? `all namespaces (${nsCount})` : `${namespace}, which holds Secrets`}, so it can mount and read any Secret there: ${[...r.vias].join('; ')}`,
      fix: 'let only identities trusted with every Secret of the namespace create Pods there: split Secrets by trust into namespaces, or restrict secret volumes with an admission policy',
    })
  }
  return {
    findings,
    summary: {
      check: MOUNTERS,
      status: findings.some((f) => f.level !== 'info') ? 'fail' : 'pass',
      signal: 'create on pods and pod-creating workloads, in namespaces holding Secrets',
      ...(withSecrets ? {} : { note: 'Secrets could not be listed: every namespace assumed to hold some' }),
    },
  }
}
