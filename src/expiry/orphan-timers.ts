/**
 * Timer Jobs that time nothing: a create killed between its timer and its
 * Secret, an extend killed between its new timer and the switch, a Secret
 * reaped or deleted by hand before its timer fired. Such a timer deletes itself
 * only at its deadline, which may be days away; `reap` sweeps them.
 *
 * A timer is an orphan when the Secret it names does not exist, or exists
 * without this timer among its owners. Only timers older than a grace period
 * are considered, measured on the API server's clock against the Job's
 * creationTimestamp, so that a create or an extend in flight (timer made,
 * Secret not yet written or switched) is never raced.
 */
import { ApiStatusError, isApiStatus } from '../errors/cli-error.js'
import type { KubeClient } from '../kube/client.js'
import { type ObjectMetaLike, TIMER_FOR_ANNOTATION } from './metadata.js'
import { collectionPath, pages, type Scope } from './pages.js'
import { getSecretMetadata } from './secret-meta.js'
import { MANAGED_BY_SELECTOR_TIMER, PARTIAL_METADATA_LIST } from './selectors.js'
import { deleteTimerJob } from './timer-api.js'

/** Long enough for any create or extend in flight, short next to any useful TTL. */
export const DEFAULT_ORPHAN_GRACE = '2m'

export interface OrphanSweepOptions extends Scope {
  dryRun: 'none' | 'client' | 'server'
  graceMs: number
  /** Timer uids that some Secret seen by the caller is owned by: certainly not orphans. */
  referenced?: ReadonlySet<string>
  onSwept?: (namespace: string, job: string, secret: string) => void
}

export interface OrphanStats {
  scanned: number
  orphans: number
  swept: number
  failed: number
  failures: string[]
  /** Set when the timers could not be listed (no right to list Jobs): nothing was checked. */
  skipped?: string
}

type TimerMeta = ObjectMetaLike & { deletionTimestamp?: string }

/** Whether a timer is old enough to be judged (pure). */
export function pastGrace(meta: TimerMeta, now: Date, graceMs: number): boolean {
  if (meta.deletionTimestamp || !meta.creationTimestamp) return false
  return now.getTime() - Date.parse(meta.creationTimestamp) >= graceMs
}

export async function sweepOrphanTimers(
  client: KubeClient,
  options: OrphanSweepOptions,
): Promise<OrphanStats> {
  const stats: OrphanStats = { scanned: 0, orphans: 0, swept: 0, failed: 0, failures: [] }
  try {
    for await (const page of pages<{ items?: { metadata: TimerMeta }[] }>(client, {
      path: collectionPath('batch/v1', 'jobs', options),
      accept: PARTIAL_METADATA_LIST,
      labelSelector: MANAGED_BY_SELECTOR_TIMER,
      limit: 500,
      describe: { verb: 'list', resource: 'jobs.batch', namespace: options.namespace },
    })) {
      // The page's own response set the server clock.
      const now = await client.serverNow()
      for (const { metadata: job } of page.items ?? []) {
        stats.scanned += 1
        if (!job.uid || options.referenced?.has(job.uid) || !pastGrace(job, now, options.graceMs)) continue
        const namespace = job.namespace ?? options.namespace ?? ''
        const secret = job.annotations?.[TIMER_FOR_ANNOTATION]
        if (!secret || !(await isOrphan(client, namespace, secret, job.uid))) continue
        stats.orphans += 1
        const name = job.name ?? ''
        try {
          if (options.dryRun !== 'client') {
            await deleteTimerJob(client, namespace, name, {
              uid: job.uid,
              dryRun: options.dryRun === 'server',
            })
          }
          stats.swept += 1
          options.onSwept?.(namespace, name, secret)
        } catch (err) {
          if (!(err instanceof ApiStatusError)) throw err
          stats.failed += 1
          if (stats.failures.length < 10) stats.failures.push(`${namespace}/${name}: ${err.message}`)
        }
      }
    }
  } catch (err) {
    if (!isApiStatus(err, 403)) throw err
    stats.skipped = 'no permission to list jobs.batch'
  }
  return stats
}

/** Asks the server whether SECRET exists and is owned by the timer with this uid. */
async function isOrphan(
  client: KubeClient,
  namespace: string,
  secret: string,
  uid: string,
): Promise<boolean> {
  try {
    const { metadata } = await getSecretMetadata(client, namespace, secret)
    return !(metadata.ownerReferences ?? []).some((ref) => ref.uid === uid)
  } catch (err) {
    if (isApiStatus(err, 404)) return true
    throw err
  }
}
