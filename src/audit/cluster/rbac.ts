/**
 * RBAC resolution: aggregated ClusterRoles, rule matching with wildcards, and
 * who gets a permission through which binding. Pure: fed the lists the
 * snapshot read.
 */
import type { LabelSelector, PolicyRule, Role, RoleBinding, Subject } from './types.js'

export function selectorMatches(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key)
    const value = labels[e.key]
    switch (e.operator) {
      case 'In':
        if (!has || !(e.values ?? []).includes(value as string)) return false
        break
      case 'NotIn':
        if (has && (e.values ?? []).includes(value as string)) return false
        break
      case 'Exists':
        if (!has) return false
        break
      case 'DoesNotExist':
        if (has) return false
        break
      default:
        return false
    }
  }
  return true
}

/**
 * The effective rules of every ClusterRole: an aggregated ClusterRole gets the
 * rules of every ClusterRole its selectors match, transitively (admin ← edit ←
 * view), whether or not the aggregation controller has filled them in yet.
 */
export function effectiveClusterRoleRules(clusterRoles: Role[]): Map<string, PolicyRule[]> {
  const rules = new Map<string, PolicyRule[]>()
  for (const r of clusterRoles) rules.set(r.metadata.name, [...(r.rules ?? [])])
  const aggregated = clusterRoles.filter((r) => (r.aggregationRule?.clusterRoleSelectors ?? []).length > 0)
  const key = (rule: PolicyRule) => JSON.stringify(rule)
  let changed = true
  for (let round = 0; changed && round < 10; round++) {
    changed = false
    for (const agg of aggregated) {
      const own = rules.get(agg.metadata.name) ?? []
      const seen = new Set(own.map(key))
      for (const source of clusterRoles) {
        if (source.metadata.name === agg.metadata.name) continue
        const selectors = agg.aggregationRule?.clusterRoleSelectors ?? []
        if (!selectors.some((s) => selectorMatches(s, source.metadata.labels))) continue
        for (const rule of rules.get(source.metadata.name) ?? []) {
          if (seen.has(key(rule))) continue
          seen.add(key(rule))
          own.push(rule)
          changed = true
        }
      }
      rules.set(agg.metadata.name, own)
    }
  }
  return rules
}

export interface Permission {
  group: string
  resource: string
  verbs: string[]
}

export interface Grant {
  verbs: string[]
  /** Set when the rule only covers named objects. */
  resourceNames?: string[]
  /** The rule used `*` for the group, resource or verb. */
  wildcard: boolean
}

// As RBAC matches a rule's resource: exact, `*`, or `*` + `/SUB` for any
// resource's subresource SUB (so `pods/exec` is matched by a `*` + `/exec` rule).
function resourceMatches(ruleResource: string, want: string): boolean {
  if (ruleResource === '*' || ruleResource === want) return true
  const slash = want.indexOf('/')
  return slash > 0 && ruleResource.startsWith('*/') && ruleResource.slice(2) === want.slice(slash + 1)
}

/** What the rules grant of the permission: the verbs, or undefined when none. */
export function grantOf(rules: PolicyRule[], want: Permission): Grant | undefined {
  const verbs = new Set<string>()
  let wildcard = false
  let names: Set<string> | undefined
  let unrestricted = false
  for (const rule of rules) {
    if ((rule.nonResourceURLs ?? []).length > 0 && (rule.resources ?? []).length === 0) continue
    const groups = rule.apiGroups ?? []
    const resources = rule.resources ?? []
    const groupOk = groups.includes('*') || groups.includes(want.group)
    const resourceOk = resources.some((r) => resourceMatches(r, want.resource))
    if (!groupOk || !resourceOk) continue
    const matched = want.verbs.filter((v) => rule.verbs.includes('*') || rule.verbs.includes(v))
    if (matched.length === 0) continue
    for (const v of matched) verbs.add(v)
    if (groups.includes('*') || resources.some((r) => r.startsWith('*')) || rule.verbs.includes('*'))
      wildcard = true
    if ((rule.resourceNames ?? []).length > 0) {
      names ??= new Set()
      for (const n of rule.resourceNames ?? []) names.add(n)
    } else {
      unrestricted = true
    }
  }
  if (verbs.size === 0) return undefined
  return {
    verbs: want.verbs.filter((v) => verbs.has(v)),
    wildcard,
    ...(unrestricted || !names ? {} : { resourceNames: [...names] }),
  }
}

export interface Access {
  subject: Subject
  /** undefined: every namespace (a ClusterRoleBinding). */
  namespace?: string
  grant: Grant
  /** The role the grant came through (a Role lives in the binding's namespace). */
  role: { kind: string; name: string }
  /** e.g. `ClusterRole edit via RoleBinding shop/deployers`. */
  via: string
}

/** A cluster's RBAC objects, resolved once for every whoCan question. */
export interface RbacTables {
  /** Each ClusterRole's effective rules (aggregation resolved), by name. */
  clusterRoleRules: Map<string, PolicyRule[]>
  /** Each Role's rules, by `namespace/name`. */
  roleRules: Map<string, PolicyRule[]>
  clusterRoleBindings: RoleBinding[]
  roleBindings: RoleBinding[]
}

export function rbacTables(
  clusterRoles: Role[],
  roles: Role[],
  clusterRoleBindings: RoleBinding[],
  roleBindings: RoleBinding[],
): RbacTables {
  return {
    clusterRoleRules: effectiveClusterRoleRules(clusterRoles),
    roleRules: new Map(roles.map((r) => [`${r.metadata.namespace}/${r.metadata.name}`, r.rules ?? []])),
    clusterRoleBindings,
    roleBindings,
  }
}

/** Kubernetes' user-facing default ClusterRoles, named as such in findings. */
const WELL_KNOWN_CLUSTER_ROLES: Record<string, string> = {
  'cluster-admin': "Kubernetes' default cluster-admin role: every permission",
  admin: "Kubernetes' default admin role",
  edit: "Kubernetes' default edit role",
  view: "Kubernetes' default view role",
}

/** `ClusterRole edit (Kubernetes' default edit role)`, or `Role x`. */
export function roleText(ref: { kind: string; name: string }): string {
  const known = ref.kind === 'ClusterRole' ? WELL_KNOWN_CLUSTER_ROLES[ref.name] : undefined
  return `${ref.kind} ${ref.name}${known ? ` (${known})` : ''}`
}

/** Every (subject, scope) that gets the permission through a binding. */
export function whoCan(
  want: Permission,
  { clusterRoleRules, roleRules, clusterRoleBindings, roleBindings }: RbacTables,
): Access[] {
  const out: Access[] = []
  for (const b of clusterRoleBindings) {
    if (b.roleRef.kind !== 'ClusterRole') continue
    const grant = grantOf(clusterRoleRules.get(b.roleRef.name) ?? [], want)
    if (!grant) continue
    for (const subject of b.subjects ?? []) {
      out.push({
        subject,
        grant,
        role: b.roleRef,
        via: `${roleText(b.roleRef)} via ClusterRoleBinding ${b.metadata.name}`,
      })
    }
  }
  for (const b of roleBindings) {
    const ns = b.metadata.namespace ?? ''
    const rules =
      b.roleRef.kind === 'ClusterRole'
        ? clusterRoleRules.get(b.roleRef.name)
        : roleRules.get(`${ns}/${b.roleRef.name}`)
    const grant = grantOf(rules ?? [], want)
    if (!grant) continue
    for (const subject of b.subjects ?? []) {
      out.push({
        subject:
          subject.kind === 'ServiceAccount' && !subject.namespace ? { ...subject, namespace: ns } : subject,
        namespace: ns,
        grant,
        role: b.roleRef,
        via: `${roleText(b.roleRef)} via RoleBinding ${ns}/${b.metadata.name}`,
      })
    }
  }
  return out
}

export function subjectName(s: Subject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace ?? ''}/${s.name}` : `${s.kind} ${s.name}`
}

/** Groups that mean "everyone" (or every service account): a grant to them is a grant to all. */
export const BROAD_GROUPS = new Set([
  'system:authenticated',
  'system:unauthenticated',
  'system:serviceaccounts',
])

export function isBroad(s: Subject): boolean {
  return (
    (s.kind === 'Group' && (BROAD_GROUPS.has(s.name) || s.name.startsWith('system:serviceaccounts:'))) ||
    (s.kind === 'User' && s.name === 'system:anonymous')
  )
}
