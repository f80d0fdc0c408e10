/**
 * The seam between `create` and expiry. `create` calls only what is exported
 * here; the expiry module owns everything behind it (the timer Job, the
 * annotations, the compatibility formats).
 *
 * STUB: replaced by the expiry implementation.
 */
import type { KubeClient } from '../kube/client.js'

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by'
export const MANAGED_BY_VALUE = 'kubectl-safe-secret'

/** oclif flag definitions that `create` spreads into its own flags. */
export const expiryFlags = {}

export interface ExpiryFlagValues {
  ttl?: string
  'expires-at'?: string
  'expiry-mode'?: string
  compat?: string[]
  'max-ttl'?: string
}

export interface ExpiryPlan {
  expiresAt: Date
  mode: 'job' | 'annotation'
  compat: ('janitor' | 'kyverno')[]
}

export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}

/** Validates the expiry flags; undefined when no expiry was asked for. Throws UsageError. */
export function planExpiry(_flags: ExpiryFlagValues, _now: Date): ExpiryPlan | undefined {
  return undefined
}

/** Labels and annotations every managed Secret carries (always the managed-by label). */
export function expiryMetadata(_plan: ExpiryPlan | undefined): {
  labels: Record<string, string>
  annotations: Record<string, string>
} {
  return { labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE }, annotations: {} }
}

export type DryRun = 'none' | 'client' | 'server'

/**
 * Runs `createSecret` under the expiry plan: for the job mode, creates the timer
 * Job first, passes its ownerReference, and deletes the Job if the Secret
 * cannot be created. With no plan, or the annotation mode, it just calls it.
 */
export async function withExpiryTimer<T>(
  _client: KubeClient,
  _namespace: string,
  _secretName: string,
  _plan: ExpiryPlan | undefined,
  _dryRun: DryRun,
  createSecret: (ownerReferences: OwnerReference[]) => Promise<T>,
): Promise<T> {
  return createSecret([])
}
