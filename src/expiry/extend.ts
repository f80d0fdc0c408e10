/**
 * Moves a Secret's deadline without a moment where nothing (or the wrong
 * thing) times it: new timer first, then the Secret's ownerReference is
 * switched to it in one write guarded by resourceVersion, then the old timer
 * is deleted. Until the switch the old timer owns the Secret; after it, only
 * the new one does, so deleting the old timer cannot take the Secret along.
 */
import { CliError, isApiStatus, UsageError } from '../errors/cli-error.js'
import type { KubeClient } from '../kube/client.js'
import { formatRfc3339Utc } from '../time/instant.js'
import {
  compatAnnotations,
  compatFormatsOf,
  compatLabels,
  deadlineAnnotations,
  type ExpiryMode,
  expiryOf,
  isTimerRef,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  timerOwners,
} from './metadata.js'
import { type DeadlineRequest, resolveDeadline } from './plan.js'
import { getManagedSecretMetadata, secretPath } from './secret-meta.js'
import { consumersOfTimers, createTimerJob, deleteTimerJob } from './timer-api.js'
import { type OwnerReference, ownerReferenceTo } from './timer-job.js'

export interface ExtendResult {
  name: string
  namespace: string
  previous?: Date
  expiresAt: Date
  mode: ExpiryMode
  newTimer?: string
  oldTimers: string[]
}

/** The merge patch that switches owner and deadline; pure. */
export function extendPatch(
  meta: {
    resourceVersion?: string
    ownerReferences?: OwnerReference[]
    labels?: Record<string, string>
    annotations?: Record<string, string>
  },
  expiresAt: Date,
  mode: ExpiryMode,
  newOwner: OwnerReference | undefined,
): object {
  const compat = compatFormatsOf(meta)
  const others = (meta.ownerReferences ?? []).filter((r) => !isTimerRef(r))
  const patch: { metadata: Record<string, unknown> } = {
    metadata: {
      // Optimistic concurrency: the write fails with 409 if the Secret changed since we read it.
      resourceVersion: meta.resourceVersion,
      annotations: { ...deadlineAnnotations(expiresAt, mode), ...compatAnnotations(expiresAt, compat) },
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, ...compatLabels(expiresAt, compat) },
    },
  }
  if (mode === 'job') patch.metadata.ownerReferences = [...others, ...(newOwner ? [newOwner] : [])]
  return patch
}

export async function extendSecret(
  client: KubeClient,
  namespace: string,
  name: string,
  deadline: Date | DeadlineRequest,
  options: { dryRun?: 'none' | 'server'; allowEarlier?: boolean } = {},
): Promise<ExtendResult> {
  const dryRun = options.dryRun === 'server'
  const { metadata: meta } = await getManagedSecretMetadata(
    client,
    namespace,
    name,
    `only Secrets labelled ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE} can be extended`,
  )
  // A requested deadline counts from the API server's now, which the read above told the client.
  const expiresAt = deadline instanceof Date ? deadline : resolveDeadline(deadline, await client.serverNow())
  if (meta.deletionTimestamp) {
    throw new CliError(`secret "${name}" is already being deleted: it expired or was revoked`)
  }
  const current = expiryOf(meta)
  if (current && expiresAt < current.expiresAt && !options.allowEarlier) {
    throw new UsageError(
      `the new expiry ${formatRfc3339Utc(expiresAt)} is earlier than the current one, ${formatRfc3339Utc(current.expiresAt)}; nothing was changed`,
      {
        hint: 'pass --allow-earlier to shorten its lifetime, or kubectl safe-secret revoke to delete it now',
      },
    )
  }
  const mode: ExpiryMode = current?.mode ?? 'job'
  const oldTimers = timerOwners(meta)

  let newOwner: OwnerReference | undefined
  if (mode === 'job') {
    // The deadline counts from the Job's start: measure it from now, not from when the command began.
    // A Secret bound to a consumer through its timer (--owned-by) stays bound through the new one.
    const owners = await consumersOfTimers(client, namespace, oldTimers)
    const job = await createTimerJob(client, namespace, name, expiresAt, { dryRun, owners })
    newOwner = ownerReferenceTo(job)
  }
  try {
    await client.request({
      method: 'PATCH',
      path: secretPath(namespace, name),
      contentType: 'application/merge-patch+json',
      accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
      query: { dryRun: dryRun ? 'All' : undefined, fieldManager: 'kubectl-safe-secret' },
      body: extendPatch(meta, expiresAt, mode, newOwner),
      describe: { verb: 'patch', resource: 'secrets', namespace },
    })
  } catch (err) {
    if (newOwner && !dryRun)
      await deleteTimerJob(client, namespace, newOwner.name, { uid: newOwner.uid }).catch(() => {})
    if (isApiStatus(err, 409)) {
      throw new CliError(`secret "${name}" changed while its expiry was being moved; nothing was changed`, {
        hint: 'run the command again',
        cause: err,
      })
    }
    throw err
  }
  // Only now, with the Secret owned by the new timer alone, may the old timers go.
  if (mode === 'job') {
    for (const old of oldTimers) await deleteTimerJob(client, namespace, old.name, { uid: old.uid, dryRun })
  }
  return {
    name,
    namespace,
    previous: current?.expiresAt,
    expiresAt,
    mode,
    newTimer: newOwner?.name,
    oldTimers: oldTimers.map((t) => t.name),
  }
}

export function describeExtend(r: ExtendResult): string {
  if (!r.previous) {
    return `secret/${r.name} had no expiry: it now expires at ${formatRfc3339Utc(r.expiresAt)} (${r.mode} mode)`
  }
  return `secret/${r.name} expiry moved from ${formatRfc3339Utc(r.previous)} to ${formatRfc3339Utc(r.expiresAt)}`
}
