/**
 * Checks over Secret metadata (never data): plain copies in the
 * last-applied-configuration annotation, and Secrets that never expire or have
 * lived longer than --max-age.
 */
import {
  JANITOR_EXPIRES_ANNOTATION,
  KYVERNO_TTL_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from '../../expiry/metadata.js'
import { formatDuration } from '../../time/duration.js'
import { type CheckResult, type Finding, unknownResult } from '../findings.js'
import { secretJsonKeys } from '../secret-json.js'
import type { ClusterSnapshot, SecretMeta } from './types.js'

export const LAST_APPLIED_CHECK = 'secret-last-applied-copy'
export const EXPIRY_CHECK = 'secret-lifetime'

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'
const BY_HAND =
  'kubectl get secrets -o custom-columns=NAME:.metadata.name,ANNOTATIONS:.metadata.annotations with an identity that can list them'

function id(s: SecretMeta): string {
  return `${s.metadata.namespace}/secret/${s.metadata.name}`
}

export function checkLastApplied(snapshot: ClusterSnapshot): CheckResult {
  if (!snapshot.secrets.ok) {
    return unknownResult(
      LAST_APPLIED_CHECK,
      snapshot.namespace ?? 'all namespaces',
      snapshot.secrets.reason,
      BY_HAND,
    )
  }
  const findings: Finding[] = []
  for (const s of snapshot.secrets.items) {
    const annotation = s.metadata.annotations?.[LAST_APPLIED]
    if (annotation === undefined) continue
    const keys = secretJsonKeys(annotation)
    if (keys !== undefined && keys.length === 0) continue
    findings.push({
      check: LAST_APPLIED_CHECK,
      level: 'medium',
      where: id(s),
      detail: `the ${LAST_APPLIED} annotation holds a plain copy of the data${keys ? ` (keys: ${keys.join(', ')})` : ''}: readable wherever metadata is, e.g. Metadata-level audit logs and tools that hide data`,
      fix: `kubectl annotate secret -n ${s.metadata.namespace} ${s.metadata.name} ${LAST_APPLIED}- ; rotate the values; apply Secrets with server-side apply or 'kubectl safe-secret create', never --save-config`,
    })
  }
  return {
    findings,
    summary: {
      check: LAST_APPLIED_CHECK,
      status: findings.length > 0 ? 'fail' : 'pass',
      signal: `metadata of ${snapshot.secrets.items.length} Secret${snapshot.secrets.items.length === 1 ? '' : 's'}`,
    },
  }
}

/**
 * A Secret expires when a cleaner will remove it: ours (managed-by label and an
 * `.../expires-at` annotation), kube-janitor (`janitor/expires`, `janitor/ttl`
 * other than `forever`), Kyverno (`cleanup.kyverno.io/ttl` label); or when it is
 * owned by another object and goes with it.
 */
export function expires(s: SecretMeta): boolean {
  const labels = s.metadata.labels ?? {}
  const annotations = s.metadata.annotations ?? {}
  if (
    labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE &&
    Object.keys(annotations).some((k) => k.endsWith('/expires-at'))
  )
    return true
  if (annotations[JANITOR_EXPIRES_ANNOTATION]) return true
  if (annotations['janitor/ttl'] && annotations['janitor/ttl'] !== 'forever') return true
  if (labels[KYVERNO_TTL_LABEL]) return true
  return (s.metadata.ownerReferences ?? []).length > 0
}

/** Secrets the cluster itself manages (service account tokens) are not the user's to expire. */
function clusterManaged(s: SecretMeta): boolean {
  return s.metadata.annotations?.['kubernetes.io/service-account.name'] !== undefined
}

export function checkSecretLifetime(snapshot: ClusterSnapshot, maxAgeMs: number): CheckResult {
  if (!snapshot.secrets.ok) {
    return unknownResult(
      EXPIRY_CHECK,
      snapshot.namespace ?? 'all namespaces',
      snapshot.secrets.reason,
      BY_HAND,
    )
  }
  const findings: Finding[] = []
  const forever = new Map<string, string[]>()
  for (const s of snapshot.secrets.items) {
    if (clusterManaged(s) || expires(s)) continue
    const ns = s.metadata.namespace ?? ''
    forever.set(ns, [...(forever.get(ns) ?? []), s.metadata.name])
    const created = Date.parse(s.metadata.creationTimestamp ?? '')
    const age = snapshot.now.getTime() - created
    if (Number.isFinite(age) && age > maxAgeMs) {
      findings.push({
        check: EXPIRY_CHECK,
        level: 'info',
        where: id(s),
        detail: `created ${formatDuration(age)} ago, over --max-age ${formatDuration(maxAgeMs)}, and never expires`,
        fix: 'rotate it, and recreate it with an expiry: kubectl safe-secret create ... --ttl',
      })
    }
  }
  for (const [ns, names] of forever) {
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `, and ${names.length - 5} more` : '')
    findings.push({
      check: EXPIRY_CHECK,
      level: 'info',
      where: ns,
      detail: `${names.length} Secret${names.length === 1 ? '' : 's'} never expire: ${shown}`,
      fix: 'give temporary credentials an expiry: kubectl safe-secret create ... --ttl (or janitor/kyverno TTLs)',
    })
  }
  return {
    findings,
    summary: {
      check: EXPIRY_CHECK,
      status: findings.length > 0 ? 'info' : 'pass',
      signal: 'expiry labels/annotations of kubectl-safe-secret, kube-janitor and Kyverno; owner references',
    },
  }
}
