/**
 * What is still alive, and until when: the managed Secrets with their expiry
 * and the state of their timers. Values never reach this process: Secrets are
 * read as a server-side Table with only metadata attached (the API server
 * counts the keys for the DATA column, exactly as for `kubectl get secrets`),
 * and timer Jobs as a PartialObjectMetadataList.
 */
import { isApiStatus } from '../errors/cli-error.js'
import type { KubeClient } from '../kube/client.js'
import { humanDuration } from '../time/human.js'
import { formatRfc3339Utc } from '../time/instant.js'
import {
  compatFormatsOf,
  type ExpiryMode,
  expiryOf,
  isTimerRef,
  type ObjectMetaLike,
  timerOwners,
} from './metadata.js'
import { collectionPath, pages, type Scope } from './pages.js'
import { MANAGED_BY_SELECTOR_TIMER, managedSelector } from './selectors.js'

export const TABLE_WITH_METADATA = 'application/json;as=Table;g=meta.k8s.io;v=v1'

/**
 * `yes`: its timer Job exists; `missing`: the owner is gone (the GC deletes the Secret); `unknown`: no right to list Jobs;
 * `pending`: the timer exists but the job controller has not started it (no startTime, PENDING_AFTER_MS after its
 * creation: kube-controller-manager is down or behind), so its deadline has not begun to run.
 */
export type TimerState = 'yes' | 'pending' | 'missing' | 'none' | 'unknown'

/** How long a timer may go without a startTime before it counts as pending (the job controller takes milliseconds). */
export const PENDING_AFTER_MS = 5000

/** What `list` needs of a timer Job: whether it started, and the consumer that owns it (--owned-by with --ttl). */
export interface TimerInfo {
  creationTimestamp?: string
  startTime?: string
  owner?: string
}

export interface ManagedSecret {
  name: string
  namespace: string
  type?: string
  /** Number of keys, counted by the API server; undefined if it did not say. */
  keys?: number
  createdAt?: Date
  expiresAt?: Date
  mode?: ExpiryMode
  timer: TimerState
  timerJob?: string
  compat: string[]
  /** The Secret's metadata as the API server returned it, for -o json|yaml. */
  metadata: ObjectMetaLike
  /** The consumer the Secret is bound to (--owned-by), as Kind/name: its own owner, or its timer's. */
  owner?: string
}

interface TableResponse {
  columnDefinitions?: { name: string }[]
  rows?: { cells: unknown[]; object?: { metadata?: ObjectMetaLike } }[]
  metadata?: { continue?: string }
}

/** `Kind/name` of an owner reference. */
function ownerName(ref: { kind: string; name: string }): string {
  return `${ref.kind}/${ref.name}`
}

/**
 * One row of the table from one Table row of the API server (pure). `timers`:
 * the timer Jobs by uid (a Set when only their existence is known); `now`: the
 * API server's time, for `pending`.
 */
export function managedSecretFromRow(
  meta: ObjectMetaLike,
  cells: Record<string, unknown>,
  timers: ReadonlySet<string> | ReadonlyMap<string, TimerInfo> | undefined,
  now?: Date,
): ManagedSecret {
  const expiry = expiryOf(meta)
  const owner = timerOwners(meta)[0]
  let timer: TimerState = 'none'
  if (owner) timer = timers === undefined ? 'unknown' : timers.has(owner.uid) ? 'yes' : 'missing'
  const info = owner && timers instanceof Map ? (timers.get(owner.uid) as TimerInfo | undefined) : undefined
  if (timer === 'yes' && info && isPending(info, now)) timer = 'pending'
  const consumer = (meta.ownerReferences ?? []).find((r) => !isTimerRef(r))
  const keys = typeof cells.Data === 'number' ? cells.Data : undefined
  return {
    name: meta.name ?? '',
    namespace: meta.namespace ?? '',
    type: typeof cells.Type === 'string' ? cells.Type : undefined,
    keys,
    createdAt: meta.creationTimestamp ? new Date(meta.creationTimestamp) : undefined,
    expiresAt: expiry?.expiresAt,
    mode: expiry?.mode,
    timer,
    timerJob: owner?.name,
    compat: compatFormatsOf(meta),
    metadata: meta,
    owner: consumer ? ownerName(consumer) : info?.owner,
  }
}

/** A timer the job controller has not started several seconds after its creation (pure). */
export function isPending(info: TimerInfo, now: Date | undefined): boolean {
  if (info.startTime || !info.creationTimestamp || !now) return false
  return now.getTime() - Date.parse(info.creationTimestamp) >= PENDING_AFTER_MS
}

/**
 * Our timer Jobs in scope, by uid, with their start and owner; undefined when we
 * may not list Jobs. Whole objects (the status holds startTime): a timer Job
 * carries no secret data.
 */
export async function timerJobs(
  client: KubeClient,
  scope: Scope,
): Promise<Map<string, TimerInfo> | undefined> {
  const timers = new Map<string, TimerInfo>()
  try {
    for await (const page of pages<{
      items?: { metadata: ObjectMetaLike; status?: { startTime?: string } }[]
    }>(client, {
      path: collectionPath('batch/v1', 'jobs', scope),
      accept: 'application/json',
      labelSelector: MANAGED_BY_SELECTOR_TIMER,
      limit: 500,
      describe: { verb: 'list', resource: 'jobs.batch', namespace: scope.namespace },
    })) {
      for (const job of page.items ?? []) {
        if (!job.metadata.uid) continue
        const consumer = job.metadata.ownerReferences?.[0]
        timers.set(job.metadata.uid, {
          creationTimestamp: job.metadata.creationTimestamp,
          startTime: job.status?.startTime,
          owner: consumer ? ownerName(consumer) : undefined,
        })
      }
    }
  } catch (err) {
    if (isApiStatus(err, 403)) return undefined
    throw err
  }
  return timers
}

export async function listManagedSecrets(
  client: KubeClient,
  scope: Scope,
  options: { selector?: string; chunkSize?: number } = {},
): Promise<ManagedSecret[]> {
  const labelSelector = managedSelector(options.selector)
  // The Jobs are listed while the Secrets are; if the Secrets request fails first,
  // that failure is the one reported and this one must not go unhandled.
  const timersPromise = timerJobs(client, scope)
  timersPromise.catch(() => {})
  const out: ManagedSecret[] = []
  const rows: { meta: ObjectMetaLike; cells: Record<string, unknown> }[] = []
  for await (const page of pages<TableResponse>(client, {
    path: collectionPath('', 'secrets', scope),
    accept: TABLE_WITH_METADATA,
    query: { includeObject: 'Metadata' },
    labelSelector,
    limit: options.chunkSize ?? 500,
    describe: { verb: 'list', resource: 'secrets', namespace: scope.namespace },
  })) {
    const columns = (page.columnDefinitions ?? []).map((c) => c.name)
    for (const row of page.rows ?? []) {
      const cells: Record<string, unknown> = {}
      columns.forEach((name, i) => {
        cells[name] = row.cells[i]
      })
      rows.push({ meta: row.object?.metadata ?? {}, cells })
    }
  }
  const timers = await timersPromise
  const now = client.serverClock.now()
  for (const row of rows) out.push(managedSecretFromRow(row.meta, row.cells, timers, now))
  out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
  return out
}

export interface Column {
  header: string
  value: (s: ManagedSecret) => string
}

export function tableColumns(options: { allNamespaces: boolean; wide: boolean; now: Date }): Column[] {
  const { now } = options
  const cols: Column[] = []
  if (options.allNamespaces) cols.push({ header: 'NAMESPACE', value: (s) => s.namespace })
  cols.push(
    { header: 'NAME', value: (s) => s.name },
    { header: 'KEYS', value: (s) => (s.keys === undefined ? '?' : String(s.keys)) },
    {
      header: 'AGE',
      value: (s) => (s.createdAt ? humanDuration(now.getTime() - s.createdAt.getTime()) : '<unknown>'),
    },
    { header: 'EXPIRES-AT', value: (s) => (s.expiresAt ? formatRfc3339Utc(s.expiresAt) : '<none>') },
    { header: 'REMAINING', value: (s) => remaining(s, now) },
    { header: 'MODE', value: (s) => s.mode ?? '<none>' },
    { header: 'TIMER', value: (s) => (s.timer === 'none' ? '-' : s.timer) },
    { header: 'OWNER', value: (s) => s.owner ?? '<none>' },
  )
  if (options.wide) {
    cols.push(
      { header: 'TIMER-JOB', value: (s) => s.timerJob ?? '<none>' },
      { header: 'COMPAT', value: (s) => (s.compat.length ? s.compat.join(',') : '<none>') },
      { header: 'TYPE', value: (s) => s.type ?? '' },
    )
  }
  return cols
}

function remaining(s: ManagedSecret, now: Date): string {
  if (!s.expiresAt) return '<none>'
  const ms = s.expiresAt.getTime() - now.getTime()
  return ms <= 0 ? 'expired' : humanDuration(ms)
}

/** A table laid out like kubectl's: columns padded to their widest cell, three spaces apart. */
export function renderTable(
  columns: Column[],
  items: ManagedSecret[],
  options: { headers?: boolean } = {},
): string {
  const cells = items.map((s) => columns.map((c) => c.value(s)))
  const widths = columns.map((c, i) =>
    Math.max(options.headers === false ? 0 : c.header.length, ...cells.map((row) => (row[i] ?? '').length)),
  )
  const line = (row: string[]) =>
    row
      .map((v, i) => (i === row.length - 1 ? v : v.padEnd((widths[i] ?? 0) + 3)))
      .join('')
      .trimEnd()
  const rows = cells.map(line)
  if (options.headers !== false) rows.unshift(line(columns.map((c) => c.header)))
  return rows.length ? `${rows.join('\n')}\n` : ''
}

/**
 * The -o json|yaml shape: a v1 List of the Secrets as the API server returned
 * their metadata (kind, apiVersion, metadata and type; never data), so that
 * scripts read the same fields as from `kubectl get secret -o json`. What the
 * table computes from them is documented in the README (list: output).
 */
export function toSecretList(items: ManagedSecret[]): object {
  return {
    apiVersion: 'v1',
    kind: 'List',
    metadata: { resourceVersion: '' },
    items: items.map((s) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      // As kubectl prints objects: without managedFields (its --show-managed-fields=false).
      metadata: withoutManagedFields(s.metadata),
      ...(s.type ? { type: s.type } : {}),
    })),
  }
}

function withoutManagedFields(meta: ObjectMetaLike): ObjectMetaLike {
  const { managedFields: _, ...rest } = meta as ObjectMetaLike & { managedFields?: unknown }
  return rest
}
