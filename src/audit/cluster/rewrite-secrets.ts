/**
 * `audit cluster --rewrite-plain-secrets`: rewrites every Secret in place so
 * that the apiserver's current encryption provider stores it. This is the
 * documented `kubectl get secrets -A -o json | kubectl replace -f -`, without the
 * values passing through a pipe: each Secret is read with a GET and written back
 * byte for byte with a PUT. The body carries the resourceVersion it was read at,
 * so a Secret changed in between is refused (409) instead of overwritten; it is
 * then read again and retried (the other writer already stored it with the
 * current provider, so that is enough). Bodies stay in Buffers, are zeroed once
 * sent, and never reach the output: only namespaces, names and counts do.
 */
import { ApiStatusError, ConnectionError } from '../../errors/cli-error.js'
import { collectionPath, pages } from '../../expiry/pages.js'
import type { KubeClient } from '../../kube/client.js'
import { METADATA_ONLY } from './snapshot.js'

export interface RewriteProgress {
  done: number
  /** Seen so far plus what the list says remains (an estimate while paging). */
  total: number
}

export interface RewriteStats {
  rewritten: number
  /** Changed by another writer at each attempt: that writer stored it with the current provider. */
  changedMeanwhile: number
  deletedMeanwhile: number
  /** 409s answered by reading the Secret again. */
  conflictsRetried: number
  failures: string[]
}

export interface RewriteOptions {
  /** undefined: every namespace. */
  namespace?: string
  pageSize?: number
  concurrency?: number
  onProgress?: (p: RewriteProgress) => void
}

const ATTEMPTS = 3

interface Meta {
  metadata: { name: string; namespace?: string }
}

/** One Secret: GET, then PUT the same bytes; retried on a conflict. */
async function rewriteOne(
  client: KubeClient,
  namespace: string,
  name: string,
  onConflict: () => void,
): Promise<'rewritten' | 'changed' | 'deleted'> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`
  const describe = { verb: 'update', resource: `secret ${name}`, namespace }
  for (let attempt = 1; ; attempt++) {
    const got = await client.raw({ method: 'GET', path, accept: 'application/json', describe })
    if (got.status === 404) return 'deleted'
    if (got.status !== 200) {
      got.body.fill(0)
      throw statusError(got.status, describe)
    }
    // The client sends a copy and zeroes both it and this Buffer.
    const put = await client.raw({
      method: 'PUT',
      path,
      body: got.body,
      contentType: 'application/json',
      accept: 'application/json',
      describe,
    })
    put.body.fill(0)
    if (put.status === 200 || put.status === 201) return 'rewritten'
    if (put.status === 404) return 'deleted'
    if (put.status === 409) {
      onConflict()
      if (attempt < ATTEMPTS) continue
      return 'changed'
    }
    throw statusError(put.status, describe)
  }
}

/**
 * An error from the status code only: an error body may quote the request,
 * and the request held the values.
 */
function statusError(code: number, describe: { verb: string; resource: string; namespace?: string }) {
  return new ApiStatusError({ code, message: `HTTP ${code}` }, describe)
}

export async function rewriteSecrets(
  client: KubeClient,
  options: RewriteOptions = {},
): Promise<RewriteStats> {
  const stats: RewriteStats = {
    rewritten: 0,
    changedMeanwhile: 0,
    deletedMeanwhile: 0,
    conflictsRetried: 0,
    failures: [],
  }
  const concurrency = options.concurrency ?? 4
  let seen = 0
  let done = 0
  for await (const page of pages<{
    items?: Meta[]
    metadata?: { continue?: string; remainingItemCount?: number }
  }>(client, {
    path: collectionPath('', 'secrets', options.namespace ? { namespace: options.namespace } : {}),
    accept: METADATA_ONLY,
    limit: options.pageSize ?? 500,
    describe: { verb: 'list', resource: 'secrets', namespace: options.namespace },
  })) {
    const items = page.items ?? []
    seen += items.length
    const total = seen + (page.metadata?.remainingItemCount ?? 0)
    let next = 0
    const worker = async () => {
      while (next < items.length) {
        const item = items[next++] as Meta
        const ns = item.metadata.namespace ?? options.namespace ?? ''
        try {
          const outcome = await rewriteOne(client, ns, item.metadata.name, () => stats.conflictsRetried++)
          if (outcome === 'rewritten') stats.rewritten++
          else if (outcome === 'changed') stats.changedMeanwhile++
          else stats.deletedMeanwhile++
        } catch (err) {
          // No answer at all: stop, rather than fail every remaining Secret one by one.
          if (err instanceof ConnectionError) throw err
          const reason = err instanceof ApiStatusError ? err.reason : (err as Error).message
          stats.failures.push(`${ns}/${item.metadata.name}: ${reason}`)
        }
        done++
        options.onProgress?.({ done, total })
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  }
  return stats
}
