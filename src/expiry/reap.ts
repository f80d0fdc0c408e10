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
import { collectionPath, pages, type Scope } from './pages.js'
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

/** A bounded pool: `run` waits while `limit` tasks are in flight. */
export class Pool {
  private readonly inFlight = new Set<Promise<void>>()
  constructor(private readonly limit: number) {}

  async run(task: () => Promise<void>): Promise<void> {
    while (this.inFlight.size >= this.limit) await Promise.race(this.inFlight)
    const p: Promise<void> = task().finally(() => this.inFlight.delete(p))
    this.inFlight.add(p)
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.race(this.inFlight)
  }
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

  for await (const page of pages<{ items?: { metadata: ObjectMetaLike & { deletionTimestamp?: string } }[] }>(
    client,
    {
      path: collectionPath('', 'secrets', scope),
      accept: PARTIAL_METADATA_LIST,
      labelSelector,
      limit: options.chunkSize,
      describe: { verb: 'list', resource: 'secrets', namespace: options.namespace },
    },
  )) {
    const now = clock()
    for (const item of page.items ?? []) {
      stats.scanned += 1
      const meta = item.metadata
      if (options.orphanTimers) for (const t of timerOwners(meta)) referenced.add(t.uid)
      if (!isExpired(meta, now) || meta.deletionTimestamp) continue
      stats.expired += 1
      const namespace = meta.namespace ?? options.namespace ?? ''
      const name = meta.name ?? ''
      if (options.dryRun === 'client') {
        stats.deleted += 1
        options.onDeleted?.(namespace, name)
        continue
      }
      await pool.run(async () => {
        const outcome = await deleteExpired(client, namespace, name, meta, options.dryRun === 'server')
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

async function deleteExpired(
  client: KubeClient,
  namespace: string,
  name: string,
  meta: ObjectMetaLike,
  dryRun: boolean,
): Promise<Outcome> {
  try {
    await client.request(
      deleteRequest(
        secretPath(namespace, name),
        { dryRun, preconditions: { uid: meta.uid, resourceVersion: meta.resourceVersion } },
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
