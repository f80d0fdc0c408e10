/**
 * Deletes every managed Secret whose expires-at has passed. Streams
 * metadata-only pages (limit/continue) and deletes with bounded concurrency,
 * so memory depends on the page size and the concurrency, not on how many
 * Secrets the cluster holds. Each delete carries the uid and resourceVersion
 * we decided on: a Secret extended meanwhile is left alone (409), and one
 * already gone counts as done (404).
 */
import { ApiStatusError, isApiStatus } from '../errors/cli-error.js'
import type { KubeClient } from '../kube/client.js'
import { deleteRequest } from '../kube/delete-request.js'
import { expiryOf, type ObjectMetaLike, timerOwners } from './metadata.js'
import { type OrphanStats, sweepOrphanTimers } from './orphan-timers.js'
import { collectionPath, pager, type Scope } from './pages.js'
import { secretPath } from './secret-meta.js'
import { managedSelector, PARTIAL_METADATA, PARTIAL_METADATA_LIST } from './selectors.js'

export type ReapDryRun = 'none' | 'client' | 'server'

export interface ReapOptions extends Scope {
  selector?: string
  dryRun: ReapDryRun
  concurrency: number
  chunkSize: number
  /**
   * The clock; read once per page, so a long run still sees time pass. By
   * default the API server's, from the page's own response: its lower bound,
   * so a Secret is never reaped before its expiry whatever this machine's clock says.
   */
  now?: () => Date
  onDeleted?: (namespace: string, name: string) => void
  onProgress?: (stats: ReapStats) => void
  /** Also sweep timer Jobs whose Secret does not exist (see orphan-timers.ts), after this grace. */
  orphanTimers?: { graceMs: number; onSwept?: (namespace: string, job: string, secret: string) => void }
}

export interface ReapStats {
  scanned: number
  expired: number
  deleted: number
  alreadyGone: number
  changed: number
  failed: number
  /** First failures, for the report (at most 10, so memory stays bounded). */
  failures: string[]
  /** The orphan timer sweep, when asked for. */
  timers?: OrphanStats
}

/** Whether this Secret is due for deletion at `now` (pure). */
export function isExpired(meta: ObjectMetaLike & { deletionTimestamp?: string }, now: Date): boolean {
  const expiry = expiryOf(meta)
  return expiry !== undefined && expiry.expiresAt.getTime() <= now.getTime()
}

/**
 * A bounded pool: `run` starts a task, first waiting while `limit` tasks are in
 * flight. A task's failure is thrown by the next `run` or `drain`. Waiting is a
 * queue of wake-ups, not Promise.race over the tasks in flight: a race per task
 * left `limit` reactions on every task (45 of 441 MB allocated in a reap of
 * 10,000, and kept alive until the task settled).
 */
export class Pool {
  private active = 0
  private failure?: { error: unknown }
  private waiting: (() => void)[] = []
  constructor(private readonly limit: number) {}

  async run(task: () => Promise<void>): Promise<void> {
    while (this.active >= this.limit) await this.settled()
    this.check()
    const running = task()
    this.active += 1
    running.then(
      () => this.release(),
      (error: unknown) => {
        this.failure ??= { error }
        this.release()
      },
    )
  }

  async drain(): Promise<void> {
    while (this.active > 0) await this.settled()
    this.check()
  }

  /** Resolves when a task in flight settles. */
  private settled(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  private release(): void {
    this.active -= 1
    const waiting = this.waiting
    this.waiting = []
    for (const wake of waiting) wake()
  }

  private check(): void {
    if (this.failure) throw this.failure.error
  }
}

type ListedPage = { items?: { metadata: ObjectMetaLike & { deletionTimestamp?: string } }[] }

/** A Secret to delete: what its DELETE and the report need, and its preconditions. */
interface Target {
  namespace: string
  name: string
  uid?: string
  resourceVersion?: string
}

/**
 * Counts a page of NAMESPACE (undefined: all) into STATS and returns its Secrets
 * expired at NOW and not already being deleted; adds the timers its Secrets are
 * owned by to REFERENCED when given.
 */
function triage(
  page: ListedPage,
  namespace: string | undefined,
  now: Date,
  stats: ReapStats,
  referenced: Set<string> | undefined,
): Target[] {
  const targets: Target[] = []
  for (const { metadata: meta } of page.items ?? []) {
    stats.scanned += 1
    if (referenced) for (const t of timerOwners(meta)) referenced.add(t.uid)
    if (!isExpired(meta, now) || meta.deletionTimestamp) continue
    stats.expired += 1
    targets.push({
      namespace: meta.namespace ?? namespace ?? '',
      name: meta.name ?? '',
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
    })
  }
  return targets
}

export async function reap(client: KubeClient, options: ReapOptions): Promise<ReapStats> {
  const stats: ReapStats = {
    scanned: 0,
    expired: 0,
    deleted: 0,
    alreadyGone: 0,
    changed: 0,
    failed: 0,
    failures: [],
  }
  const clock = options.now ?? (() => client.serverClock.now() ?? new Date())
  const pool = new Pool(Math.max(1, options.concurrency))
  const scope: Scope = { namespace: options.namespace }
  const labelSelector = managedSelector(options.selector)
  // Timers some Secret is owned by: the sweep need not ask about them again.
  const referenced = new Set<string>()

  const nextPage = pager<ListedPage>(client, {
    path: collectionPath('', 'secrets', scope),
    accept: PARTIAL_METADATA_LIST,
    labelSelector,
    limit: options.chunkSize,
    describe: { verb: 'list', resource: 'secrets', namespace: options.namespace },
  })
  // Each page is reduced to its targets as it arrives: only what the deletions need
  // is kept, and nothing holds the page itself (see pager). A page of 500 held
  // while its deletions ran (by the generator that listed it) survived scavenges
  // and was promoted, and that survival made V8 grow its young generation to the
  // maximum on Node 24 (semi-spaces of 32 MiB, 64 MiB of a 150 MiB peak).
  const nextTargets = () =>
    nextPage().then((page) =>
      page === undefined
        ? undefined
        : triage(page, options.namespace, clock(), stats, options.orphanTimers ? referenced : undefined),
    )
  let next = nextTargets()
  for (;;) {
    const targets = await next
    if (!targets) break
    // The next page is fetched while this one's deletions run (one page ahead at most).
    next = nextTargets()
    // Awaited above in the next turn; this only keeps a failure meanwhile from counting as unhandled.
    next.catch(() => {})
    for (const t of targets) {
      const { namespace, name } = t
      if (options.dryRun === 'client') {
        stats.deleted += 1
        options.onDeleted?.(namespace, name)
        continue
      }
      await pool.run(async () => {
        const outcome = await deleteExpired(client, t, options.dryRun === 'server')
        if (outcome === 'deleted') {
          stats.deleted += 1
          options.onDeleted?.(namespace, name)
        } else if (outcome === 'gone') stats.alreadyGone += 1
        else if (outcome === 'changed') stats.changed += 1
        else {
          stats.failed += 1
          if (stats.failures.length < 10) stats.failures.push(`${namespace}/${name}: ${outcome.error}`)
        }
        options.onProgress?.(stats)
      })
    }
    options.onProgress?.(stats)
  }
  await pool.drain()
  options.onProgress?.(stats)
  if (options.orphanTimers) {
    stats.timers = await sweepOrphanTimers(client, {
      namespace: options.namespace,
      dryRun: options.dryRun,
      graceMs: options.orphanTimers.graceMs,
      referenced,
      onSwept: options.orphanTimers.onSwept,
    })
  }
  return stats
}

type Outcome = 'deleted' | 'gone' | 'changed' | { error: string }

async function deleteExpired(client: KubeClient, target: Target, dryRun: boolean): Promise<Outcome> {
  const { namespace, name, uid, resourceVersion } = target
  try {
    await client.request(
      deleteRequest(
        secretPath(namespace, name),
        { dryRun, preconditions: { uid, resourceVersion } },
        { verb: 'delete', resource: 'secrets', namespace },
        // The server answers with the deleted object: ask for its metadata only.
        PARTIAL_METADATA,
      ),
    )
    return 'deleted'
  } catch (err) {
    if (isApiStatus(err, 404)) return 'gone'
    if (isApiStatus(err, 409)) return 'changed'
    if (err instanceof ApiStatusError) return { error: err.message }
    throw err
  }
}
