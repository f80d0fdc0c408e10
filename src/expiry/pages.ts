/**
 * Paginated lists (limit/continue), one page at a time, so that memory stays
 * bounded by the page size whatever the number of objects.
 */
import { isApiStatus } from '../errors/cli-error.js'
import type { KubeClient } from '../kube/client.js'

export interface Scope {
  /** undefined: all namespaces. */
  namespace?: string
}

export function collectionPath(group: string, resource: string, scope: Scope): string {
  const prefix = group === '' ? '/api/v1' : `/apis/${group}`
  return scope.namespace === undefined
    ? `${prefix}/${resource}`
    : `${prefix}/namespaces/${encodeURIComponent(scope.namespace)}/${resource}`
}

export interface PageRequest {
  path: string
  accept: string
  labelSelector?: string
  limit: number
  query?: Record<string, string | undefined>
  describe: { verb: string; resource: string; namespace?: string }
}

interface ListPage<T> {
  items?: T[]
  rows?: T[]
  metadata?: { continue?: string }
}

/**
 * The pages of a list, one per call, then undefined. When a continue token
 * expires (410 Gone, after about 5 minutes on a busy cluster) the listing starts
 * over: every consumer here is idempotent, so seeing an object twice is harmless.
 * A page is held by nothing here once returned: a consumer that fetches the next
 * page while it works on this one does not keep two pages alive.
 */
export function pager<P extends ListPage<unknown>>(
  client: KubeClient,
  req: PageRequest,
  maxRestarts = 3,
): () => Promise<P | undefined> {
  let token: string | undefined
  let restarts = 0
  let done = false
  return async () => {
    while (!done) {
      try {
        const page = await client.request<P>({
          method: 'GET',
          path: req.path,
          accept: req.accept,
          query: { ...req.query, labelSelector: req.labelSelector, limit: req.limit, continue: token },
          describe: req.describe,
        })
        token = page.metadata?.continue || undefined
        done = token === undefined
        return page
      } catch (err) {
        if (isApiStatus(err, 410) && token !== undefined && restarts < maxRestarts) {
          restarts += 1
          token = undefined
          continue
        }
        throw err
      }
    }
    return undefined
  }
}

/** Yields whole page bodies (see pager). */
export async function* pages<P extends ListPage<unknown>>(
  client: KubeClient,
  req: PageRequest,
  maxRestarts = 3,
): AsyncGenerator<P> {
  const next = pager<P>(client, req, maxRestarts)
  for (let page = await next(); page; page = await next()) yield page
}
