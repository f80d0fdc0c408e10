/**
 * Indirect ways to Secrets, beyond reading them (secret-readers) and creating
 * Pods (secret-mounters): each path is a finding that says it in words.
 * - pods/exec: run a shell in a Pod and read the files and environment of the
 *   Secrets it mounts;
 * - impersonate users, groups or ServiceAccounts: act as someone who can read
 *   Secrets (a group: system:masters);
 * - escalate or bind on Roles and ClusterRoles: grant oneself Secret reads;
 * - patch or update on Deployments, DaemonSets, StatefulSets, Jobs and CronJobs:
 *   change a pod template to mount any Secret of the namespace.
 * Grants the bootstrap policy gives the control plane are not findings.
 */

import { podSecretRefs } from '../../secret/pod-secret-refs.js'
import { type CheckResult, type Finding, type Severity, unknownResult } from '../findings.js'
import { partition, type Row, rbacOf, scopeText } from './access.js'
import { isBroad, type Permission, subjectName, whoCan } from './rbac.js'
import type { ClusterSnapshot, Pod, PodSpec } from './types.js'

export const CHECK = 'secret-escalation'

const BY_HAND =
  "as a cluster admin, for each subject: 'kubectl auth can-i --list -n NAMESPACE --as USER' and look for pods/exec, impersonate, escalate, bind, and patch/update on workloads"

/**
 * The Secrets whose values are inside a Pod, in files or in a container's
 * environment, for whoever can exec into it. Not imagePullSecrets: the kubelet
 * uses those, the Pod never sees them.
 */
export function secretsOfPod(spec: PodSpec | undefined): string[] {
  const names = new Set<string>()
  for (const ref of podSecretRefs(spec))
    if (ref.via !== 'imagePullSecrets' && ref.secret) names.add(ref.secret)
  return [...names].sort()
}

function list(names: string[], max = 4): string {
  return names.length > max
    ? `${names.slice(0, max).join(', ')} and ${names.length - max} more`
    : names.join(', ')
}

interface Context {
  /** Per namespace: the Pods that use Secrets, and which. undefined: Pods could not be listed. */
  podSecrets?: Map<string, { pod: string; secrets: string[] }[]>
  podsReason?: string
  /** Per namespace, the Secrets it holds. undefined: Secrets could not be listed. */
  secrets?: Map<string, string[]>
  secretsReason?: string
}

function contextOf(s: ClusterSnapshot): Context {
  const ctx: Context = {}
  if (s.pods.ok) {
    ctx.podSecrets = new Map()
    for (const p of s.pods.items as Pod[]) {
      const secrets = secretsOfPod(p.spec)
      if (secrets.length === 0) continue
      const ns = p.metadata.namespace ?? ''
      const rows = ctx.podSecrets.get(ns) ?? []
      rows.push({ pod: p.metadata.name, secrets })
      ctx.podSecrets.set(ns, rows)
    }
  } else {
    ctx.podsReason = s.pods.reason
  }
  if (s.secrets.ok) {
    ctx.secrets = new Map()
    for (const sec of s.secrets.items) {
      const ns = sec.metadata.namespace ?? ''
      const names = ctx.secrets.get(ns) ?? []
      names.push(sec.metadata.name)
      ctx.secrets.set(ns, names)
    }
  } else {
    ctx.secretsReason = s.secrets.reason
  }
  return ctx
}

/** What is at stake in a scope: a phrase, and whether there is anything at all. */
type Stake = { text: string; any: boolean }

function execStake(ctx: Context, ns: string | undefined): Stake {
  if (!ctx.podSecrets)
    return { text: `(the Pods that mount Secrets are unknown: ${ctx.podsReason})`, any: true }
  if (ns !== undefined) {
    const rows = ctx.podSecrets.get(ns) ?? []
    if (rows.length === 0) return { text: 'where no Pod mounts a Secret right now', any: false }
    const secrets = [...new Set(rows.flatMap((r) => r.secrets))].sort()
    return {
      text: `which mount Secret${secrets.length === 1 ? '' : 's'} ${list(secrets)} (pod${rows.length === 1 ? '' : 's'} ${list(
        rows.map((r) => r.pod),
        3,
      )})`,
      any: true,
    }
  }
  const spaces = [...ctx.podSecrets.keys()].sort()
  if (spaces.length === 0) return { text: 'where no Pod mounts a Secret right now', any: false }
  return {
    text: `where Pods mount Secrets in ${list(spaces.map((n) => `${n} (${list([...new Set((ctx.podSecrets?.get(n) ?? []).flatMap((r) => r.secrets))], 2)})`))}`,
    any: true,
  }
}

function namespaceSecrets(ctx: Context, ns: string | undefined): Stake {
  if (!ctx.secrets) return { text: `(Secrets could not be listed: ${ctx.secretsReason})`, any: true }
  if (ns === undefined) {
    const n = [...ctx.secrets.values()].reduce((a, b) => a + b.length, 0)
    return { text: `any Secret of any namespace (${n} in scope)`, any: n > 0 }
  }
  const names = ctx.secrets.get(ns) ?? []
  if (names.length === 0) return { text: `any Secret of ${ns} (none there right now)`, any: false }
  return { text: `any Secret of ${ns}: ${list(names)}`, any: true }
}

interface Path {
  kind: string
  permissions: Permission[]
  /** The path in words, after the subject's name. */
  words: (scope: string, verbs: string[], ctx: Context, ns: string | undefined) => Stake
  /** Always high, whatever the scope (impersonating a group reaches system:masters). */
  alwaysHigh?: boolean
  fix: string
}

const WORKLOAD_TEMPLATES: Permission[] = [
  { group: 'apps', resource: 'deployments', verbs: ['patch', 'update'] },
  { group: 'apps', resource: 'daemonsets', verbs: ['patch', 'update'] },
  { group: 'apps', resource: 'statefulsets', verbs: ['patch', 'update'] },
  { group: 'batch', resource: 'jobs', verbs: ['patch', 'update'] },
  { group: 'batch', resource: 'cronjobs', verbs: ['patch', 'update'] },
]

export const PATHS: Path[] = [
  {
    kind: 'exec',
    permissions: [{ group: '', resource: 'pods/exec', verbs: ['create'] }],
    words: (scope, _v, ctx, ns) => {
      const stake = execStake(ctx, ns)
      return {
        text: `can exec into pods in ${scope}, ${stake.text}, and read the mounted files and environment`,
        any: stake.any,
      }
    },
    fix: 'grant pods/exec only to break-glass roles; read logs or use an ephemeral debug container policy instead',
  },
  {
    kind: 'impersonate',
    permissions: [
      { group: '', resource: 'users', verbs: ['impersonate'] },
      { group: '', resource: 'groups', verbs: ['impersonate'] },
      { group: '', resource: 'serviceaccounts', verbs: ['impersonate'] },
    ],
    words: (scope, resources, _c, ns) => ({
      text: `can impersonate ${resources.join(', ')} ${ns === undefined ? 'cluster-wide' : `in ${scope}`}${resources.includes('groups') ? ' (a group such as system:masters bypasses RBAC)' : ''}, and read Secrets as whoever can`,
      any: true,
    }),
    alwaysHigh: true,
    fix: 'grant impersonate only to the identities that must act for others, with resourceNames for the exact users, groups or ServiceAccounts',
  },
  {
    kind: 'escalate-bind',
    permissions: [
      { group: 'rbac.authorization.k8s.io', resource: 'roles', verbs: ['escalate', 'bind'] },
      { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verbs: ['escalate', 'bind'] },
    ],
    words: (scope, what, _c, ns) => ({
      text: `can ${what.join(', ')} ${ns === undefined ? 'cluster-wide' : `in ${scope}`}: it can grant itself permissions it does not hold, Secret reads included`,
      any: true,
    }),
    fix: 'remove escalate and bind from the role: RBAC then only lets a subject grant what it already holds',
  },
  {
    kind: 'workload-template',
    permissions: WORKLOAD_TEMPLATES,
    words: (scope, what, ctx, ns) => {
      const stake = namespaceSecrets(ctx, ns)
      return {
        text: `can ${what.join(', ')} in ${scope}, and so change a pod template to mount ${stake.text}`,
        any: stake.any,
      }
    },
    fix: 'let only the deploying identity patch or update workloads, and restrict which Secrets pods may mount with an admission policy',
  },
]

function levelOf(path: Path, row: Row, stake: Stake): Severity {
  if (path.alwaysHigh || isBroad(row.access.subject)) return 'high'
  if (!stake.any) return 'low'
  if (row.named) return 'low'
  return row.access.namespace === undefined ? 'high' : 'medium'
}

export function checkSecretEscalation(snapshot: ClusterSnapshot): CheckResult {
  const rbac = rbacOf(snapshot)
  if ('reason' in rbac) return unknownResult(CHECK, scopeText(snapshot.namespace), rbac.reason, BY_HAND)
  const ctx = contextOf(snapshot)
  const findings: Finding[] = []
  const kinds = new Map<string, number>()
  for (const path of PATHS) {
    // One row per subject and scope; its verbs become `resource verb` pairs for the words.
    const accesses = path.permissions.flatMap((p) =>
      whoCan(p, rbac).map((a) => ({
        ...a,
        grant: {
          ...a.grant,
          verbs:
            path.kind === 'impersonate'
              ? [p.resource]
              : path.kind === 'exec'
                ? ['exec']
                : a.grant.verbs.map((v) => `${v} ${p.resource}`),
        },
      })),
    )
    const { others } = partition(accesses)
    for (const row of others) {
      const scope = scopeText(row.access.namespace)
      const stake = path.words(scope, [...row.verbs], ctx, row.access.namespace)
      const subject = subjectName(row.access.subject)
      findings.push({
        check: CHECK,
        level: levelOf(path, row, stake),
        where: scope,
        detail: `${subject}${isBroad(row.access.subject) ? ' (everyone in it)' : ''} ${stake.text}${row.named ? ' (named objects only)' : ''}: ${[...row.vias].join('; ')}`,
        fix: path.fix,
      })
      kinds.set(path.kind, (kinds.get(path.kind) ?? 0) + 1)
    }
  }
  return {
    findings,
    summary: {
      check: CHECK,
      status: findings.some((f) => f.level !== 'info') ? 'fail' : 'pass',
      signal:
        'pods/exec, impersonate, escalate/bind on roles, patch/update on workload templates (RBAC, aggregation resolved)',
      ...(kinds.size > 0 ? { note: [...kinds].map(([k, n]) => `${k}: ${n}`).join(', ') } : {}),
    },
  }
}
