/**
 * The names we put on Secrets and timer Jobs, and how to read them back. Our
 * own keys live under one domain prefix, `kubectl-safe-secret.io/`; the
 * compatibility keys are the other projects' own.
 */

import type { ObjectMeta, OwnerReference } from '../kube/object-meta.js'
import { formatJanitorExpires, formatKyvernoTtl, formatRfc3339Utc, parseRfc3339 } from '../time/instant.js'

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by'
export const MANAGED_BY_VALUE = 'kubectl-safe-secret'
export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`

export const DOMAIN = 'kubectl-safe-secret.io'
/** When the Secret expires: RFC 3339, UTC, whole seconds. */
export const EXPIRES_AT_ANNOTATION = `${DOMAIN}/expires-at`
/** `job` (a timer Job owns the Secret) or `annotation` (only reap or the reaper delete it). */
export const EXPIRY_MODE_ANNOTATION = `${DOMAIN}/expiry-mode`
/** On a timer Job: what it is. */
export const ROLE_LABEL = `${DOMAIN}/role`
export const TIMER_ROLE = 'expiry-timer'
/** On a timer Job: the Secret it times, label-safe (a hash when the name is too long for a label). */
export const TIMER_FOR_LABEL = `${DOMAIN}/timer-for`
/** On a timer Job: the Secret's full name. */
export const TIMER_FOR_ANNOTATION = `${DOMAIN}/timer-for-secret`
/** The timer Jobs' names start with this (generateName). */
export const TIMER_NAME_PREFIX = 'sst-'

/** kube-janitor reads this annotation (kube_janitor/janitor.py, EXPIRY_ANNOTATION). */
export const JANITOR_EXPIRES_ANNOTATION = 'janitor/expires'
/** Kyverno's cleanup controller reads this label (api/kyverno/constants.go, LabelCleanupTtl). */
export const KYVERNO_TTL_LABEL = 'cleanup.kyverno.io/ttl'

export type ExpiryMode = 'job' | 'annotation'
export type CompatFormat = 'janitor' | 'kyverno'
export const EXPIRY_MODES: readonly ExpiryMode[] = ['job', 'annotation']
export const COMPAT_FORMATS: readonly CompatFormat[] = ['janitor', 'kyverno']

export interface ExpiryPlan {
  expiresAt: Date
  mode: ExpiryMode
  compat: CompatFormat[]
}

export type ObjectMetaLike = ObjectMeta

/** Labels and annotations for a managed Secret: always managed-by; the expiry with a plan. */
export function expiryMetadata(plan: ExpiryPlan | undefined): {
  labels: Record<string, string>
  annotations: Record<string, string>
} {
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE }
  const annotations: Record<string, string> = {}
  if (!plan) return { labels, annotations }
  Object.assign(annotations, deadlineAnnotations(plan.expiresAt, plan.mode))
  Object.assign(labels, compatLabels(plan.expiresAt, plan.compat))
  Object.assign(annotations, compatAnnotations(plan.expiresAt, plan.compat))
  return { labels, annotations }
}

export function deadlineAnnotations(expiresAt: Date, mode: ExpiryMode): Record<string, string> {
  return { [EXPIRES_AT_ANNOTATION]: formatRfc3339Utc(expiresAt), [EXPIRY_MODE_ANNOTATION]: mode }
}

export function compatLabels(expiresAt: Date, compat: readonly CompatFormat[]): Record<string, string> {
  return compat.includes('kyverno') ? { [KYVERNO_TTL_LABEL]: formatKyvernoTtl(expiresAt) } : {}
}

export function compatAnnotations(expiresAt: Date, compat: readonly CompatFormat[]): Record<string, string> {
  return compat.includes('janitor') ? { [JANITOR_EXPIRES_ANNOTATION]: formatJanitorExpires(expiresAt) } : {}
}

/** The compat formats a Secret already carries, so that `extend` moves them too. */
export function compatFormatsOf(meta: ObjectMetaLike): CompatFormat[] {
  const found: CompatFormat[] = []
  if (meta.annotations?.[JANITOR_EXPIRES_ANNOTATION] !== undefined) found.push('janitor')
  if (meta.labels?.[KYVERNO_TTL_LABEL] !== undefined) found.push('kyverno')
  return found
}

export function isManaged(meta: ObjectMetaLike): boolean {
  return meta.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE
}

/** The expiry a Secret carries, or undefined when it has none (or one we cannot read). */
export function expiryOf(meta: ObjectMetaLike): { expiresAt: Date; mode: ExpiryMode } | undefined {
  const raw = meta.annotations?.[EXPIRES_AT_ANNOTATION]
  if (!raw) return undefined
  const expiresAt = parseRfc3339(raw)
  if (!expiresAt) return undefined
  const mode = meta.annotations?.[EXPIRY_MODE_ANNOTATION] === 'annotation' ? 'annotation' : 'job'
  return { expiresAt, mode }
}

/**
 * Whether an owner reference points at a timer Job: a batch/v1 Job named with
 * our prefix (a Secret bound with --owned-by to one of the user's Jobs has
 * that Job as an owner too, and it is not a timer).
 */
export function isTimerRef(ref: Pick<OwnerReference, 'kind' | 'apiVersion' | 'name'>): boolean {
  return ref.kind === 'Job' && ref.apiVersion === 'batch/v1' && ref.name.startsWith(TIMER_NAME_PREFIX)
}

/** The timer Jobs that own this object (normally one). */
export function timerOwners(meta: ObjectMetaLike): { name: string; uid: string }[] {
  return (meta.ownerReferences ?? []).filter(isTimerRef).map((r) => ({ name: r.name, uid: r.uid }))
}
