/** The timer Job's life on the API server: create, find, delete. */
import { CliError, isApiStatus } from '../errors/cli-error.js'
import type { KubeClient } from '../kube/client.js'
import { deleteRequest } from '../kube/delete-request.js'
import { TIMER_FOR_LABEL } from './metadata.js'
import { collectionPath } from './pages.js'
import { MANAGED_BY_SELECTOR_TIMER, PARTIAL_METADATA, PARTIAL_METADATA_LIST } from './selectors.js'
import { type JobObject, type OwnerReference, timerForLabelValue, timerJobManifest } from './timer-job.js'

export function jobsPath(namespace: string, name?: string): string {
  const base = collectionPath('batch/v1', 'jobs', { namespace })
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`
}

/** The error for a user who may not create Jobs: names the permission and the way out. */
export function jobsForbidden(namespace: string, cause: unknown): CliError {
  return new CliError(
    `expiry needs permission to create jobs.batch in namespace "${namespace}" (the timer that deletes the Secret on time), and the server refused it`,
    {
      hint: `ask for "create" on jobs.batch in "${namespace}", or use --expiry-mode=annotation (then nothing deletes the Secret by itself: run 'kubectl safe-secret reap' or install the reaper)`,
      cause,
    },
  )
}

export async function createTimerJob(
  client: KubeClient,
  namespace: string,
  secretName: string,
  expiresAt: Date,
  options: { dryRun?: boolean; now?: Date; owners?: OwnerReference[] } = {},
): Promise<JobObject> {
  // The deadline counts on the API server's clock, the one the job controller counts on.
  const now = options.now ?? (await client.serverNow())
  const body = timerJobManifest(secretName, expiresAt, now, options.owners)
  try {
    return await client.request<JobObject>({
      method: 'POST',
      path: jobsPath(namespace),
      query: { dryRun: options.dryRun ? 'All' : undefined, fieldManager: 'kubectl-safe-secret' },
      body,
      describe: { verb: 'create', resource: 'jobs.batch', namespace },
    })
  } catch (err) {
    if (isApiStatus(err, 403)) throw jobsForbidden(namespace, err)
    throw err
  }
}

/** Deletes a timer; a timer already gone counts as deleted. */
export async function deleteTimerJob(
  client: KubeClient,
  namespace: string,
  name: string,
  options: { uid?: string; dryRun?: boolean } = {},
): Promise<'deleted' | 'not-found'> {
  try {
    await client.request(
      deleteRequest(
        jobsPath(namespace, name),
        {
          dryRun: options.dryRun,
          propagationPolicy: 'Background',
          preconditions: options.uid ? { uid: options.uid } : undefined,
        },
        { verb: 'delete', resource: 'jobs.batch', namespace },
      ),
    )
    return 'deleted'
  } catch (err) {
    if (isApiStatus(err, 404)) return 'not-found'
    // A uid precondition that fails means the Job under that name is another one: ours is gone.
    if (isApiStatus(err, 409) && options.uid) return 'not-found'
    throw err
  }
}

/** Timer Jobs for one Secret (found by label), metadata only. */
export async function findTimersFor(
  client: KubeClient,
  namespace: string,
  secretName: string,
): Promise<JobObject[]> {
  const res = await client.request<{ items: JobObject[] }>({
    method: 'GET',
    path: jobsPath(namespace),
    query: {
      labelSelector: `${MANAGED_BY_SELECTOR_TIMER},${TIMER_FOR_LABEL}=${timerForLabelValue(secretName)}`,
    },
    accept: PARTIAL_METADATA_LIST,
    describe: { verb: 'list', resource: 'jobs.batch', namespace },
  })
  return res.items ?? []
}

/**
 * The consumers that own these timers (--owned-by with an expiry), so that a
 * new timer replacing them is bound to the same consumer. A timer already gone
 * has none to pass on.
 */
export async function consumersOfTimers(
  client: KubeClient,
  namespace: string,
  timers: readonly { name: string; uid: string }[],
): Promise<OwnerReference[]> {
  const out: OwnerReference[] = []
  for (const timer of timers) {
    try {
      const job = await client.request<JobObject>({
        method: 'GET',
        path: jobsPath(namespace, timer.name),
        accept: PARTIAL_METADATA,
        describe: { verb: 'get', resource: 'jobs.batch', namespace },
      })
      if (job.metadata.uid !== timer.uid) continue
      for (const ref of job.metadata.ownerReferences ?? [])
        if (!out.some((o) => o.uid === ref.uid)) out.push(ref)
    } catch (err) {
      if (!isApiStatus(err, 404)) throw err
    }
  }
  return out
}
