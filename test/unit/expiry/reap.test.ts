import { describe, expect, it } from 'vitest'
import { ApiStatusError } from '../../../src/errors/cli-error.js'
import { isExpired, Pool, reap } from '../../../src/expiry/reap.js'
import { fakeClient } from './fake-client.js'

const now = new Date('2026-11-26T12:00:00Z')
const past = '2026-11-26T11:00:00Z'
const future = '2026-11-26T13:00:00Z'

function item(name: string, expiresAt?: string, extra: Record<string, unknown> = {}) {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      resourceVersion: '7',
      labels: { 'app.kubernetes.io/managed-by': 'kubectl-safe-secret' },
      annotations: (expiresAt ? { 'kubectl-safe-secret.io/expires-at': expiresAt } : {}) as Record<
        string,
        string
      >,
      ...extra,
    },
  }
}

function status(code: number) {
  return new ApiStatusError({ code, message: `HTTP ${code}` }, { verb: 'delete', resource: 'secrets' })
}

describe('isExpired', () => {
  it('is true only for a readable expires-at at or before now', () => {
    expect(isExpired(item('a', past).metadata, now)).toBe(true)
    expect(isExpired(item('a', '2026-11-26T12:00:00Z').metadata, now)).toBe(true)
    expect(isExpired(item('a', future).metadata, now)).toBe(false)
    expect(isExpired(item('a').metadata, now)).toBe(false)
    expect(isExpired(item('a', 'garbage').metadata, now)).toBe(false)
  })
})

describe('reap', () => {
  it('pages with limit/continue, metadata only, and deletes with uid and resourceVersion preconditions', async () => {
    const pageItems = [
      [item('a', past), item('b', future)],
      [item('c', past), item('d')],
    ]
    const { client, requests } = fakeClient((req) => {
      if (req.method === 'GET') {
        const index = req.query?.continue === 'tok' ? 1 : 0
        return { items: pageItems[index], metadata: { continue: index === 0 ? 'tok' : '' } }
      }
      return {}
    })
    const deleted: string[] = []
    const stats = await reap(client, {
      namespace: 'ns',
      dryRun: 'none',
      concurrency: 4,
      chunkSize: 2,
      now: () => now,
      onDeleted: (_ns, name) => deleted.push(name),
    })
    expect(stats).toMatchObject({ scanned: 4, expired: 2, deleted: 2, alreadyGone: 0, changed: 0, failed: 0 })
    expect(deleted.sort()).toEqual(['a', 'c'])
    const gets = requests.filter((r) => r.method === 'GET')
    expect(gets).toHaveLength(2)
    for (const g of gets) {
      expect(g.accept).toContain('as=PartialObjectMetadataList')
      expect(g.query?.limit).toBe(2)
      expect(g.query?.labelSelector).toBe('app.kubernetes.io/managed-by=kubectl-safe-secret')
    }
    const del = requests.find((r) => r.method === 'DELETE' && r.path.endsWith('/secrets/a'))
    expect(del?.path).toBe('/api/v1/namespaces/ns/secrets/a')
    expect(del?.body).toMatchObject({ preconditions: { uid: 'uid-a', resourceVersion: '7' } })
    expect(del?.accept).toContain('as=PartialObjectMetadata')
  })

  it('counts 404 as done, 409 as changed-and-left-alone, 403 as a failure', async () => {
    const { client } = fakeClient((req) => {
      if (req.method === 'GET')
        return { items: [item('gone', past), item('moved', past), item('denied', past)] }
      if (req.path.endsWith('/gone')) throw status(404)
      if (req.path.endsWith('/moved')) throw status(409)
      throw status(403)
    })
    const stats = await reap(client, { dryRun: 'none', concurrency: 2, chunkSize: 500, now: () => now })
    expect(stats).toMatchObject({ expired: 3, deleted: 0, alreadyGone: 1, changed: 1, failed: 1 })
    expect(stats.failures[0]).toMatch(/^ns\/denied: /)
  })

  it('lists all namespaces without -n, adds -l to the selector, and client dry-run deletes nothing', async () => {
    const { client, requests } = fakeClient(() => ({ items: [item('a', past)] }))
    const stats = await reap(client, {
      selector: 'team=a',
      dryRun: 'client',
      concurrency: 1,
      chunkSize: 10,
      now: () => now,
    })
    expect(stats.deleted).toBe(1)
    expect(requests).toHaveLength(1)
    expect(requests[0]?.path).toBe('/api/v1/secrets')
    expect(requests[0]?.query?.labelSelector).toBe('app.kubernetes.io/managed-by=kubectl-safe-secret,team=a')
  })

  it('server dry-run sends dryRun=All in the DeleteOptions body (the server reads it there)', async () => {
    const { client, requests } = fakeClient((req) =>
      req.method === 'GET' ? { items: [item('a', past)] } : {},
    )
    await reap(client, { dryRun: 'server', concurrency: 1, chunkSize: 10, now: () => now })
    const del = requests.find((r) => r.method === 'DELETE')
    expect(del?.body).toMatchObject({ dryRun: ['All'] })
  })

  it('skips Secrets already being deleted', async () => {
    const { client, requests } = fakeClient(() => ({
      items: [item('a', past, { deletionTimestamp: '2026-11-26T11:59:00Z' })],
    }))
    const stats = await reap(client, { dryRun: 'none', concurrency: 1, chunkSize: 10, now: () => now })
    expect(stats.expired).toBe(0)
    expect(requests.filter((r) => r.method === 'DELETE')).toHaveLength(0)
  })

  it('asks for the next page while the deletions of this one run', async () => {
    const log: string[] = []
    let releaseA: () => void = () => {}
    const { client } = fakeClient(async (req) => {
      if (req.method === 'GET') {
        const second = req.query?.continue === 'tok'
        log.push(second ? 'list 2' : 'list 1')
        return { items: [item(second ? 'b' : 'a', past)], metadata: { continue: second ? '' : 'tok' } }
      }
      log.push(`delete ${req.path.split('/').pop()}`)
      if (req.path.endsWith('/a')) await new Promise<void>((r) => (releaseA = r))
      return {}
    })
    const done = reap(client, { dryRun: 'none', concurrency: 1, chunkSize: 1, now: () => now })
    await new Promise((r) => setTimeout(r, 5))
    // Page 2 was asked for before page 1's deletion finished (it is still held).
    expect(log).toEqual(['list 1', 'list 2', 'delete a'])
    releaseA()
    expect(await done).toMatchObject({ scanned: 2, deleted: 2 })
  })

  it('restarts the listing when the continue token expired (410)', async () => {
    let calls = 0
    const { client } = fakeClient((req) => {
      if (req.method !== 'GET') return {}
      calls += 1
      if (calls === 1) return { items: [item('a', past)], metadata: { continue: 'old' } }
      if (req.query?.continue === 'old') throw status(410)
      return { items: [item('a', past), item('b', past)], metadata: {} }
    })
    const stats = await reap(client, { dryRun: 'client', concurrency: 1, chunkSize: 1, now: () => now })
    expect(stats.scanned).toBe(3)
  })
})

describe('Pool', () => {
  it('never runs more than its limit at once', async () => {
    const pool = new Pool(3)
    let running = 0
    let peak = 0
    for (let i = 0; i < 20; i++) {
      await pool.run(async () => {
        running += 1
        peak = Math.max(peak, running)
        await new Promise((r) => setTimeout(r, 2))
        running -= 1
      })
    }
    await pool.drain()
    expect(peak).toBe(3)
    expect(running).toBe(0)
  })

  it("throws a task's failure from the next run or drain", async () => {
    const pool = new Pool(1)
    await pool.run(async () => {
      throw new Error('boom')
    })
    await expect(pool.run(async () => {})).rejects.toThrow('boom')
    const drained = new Pool(2)
    await drained.run(() => Promise.reject(new Error('late')))
    await expect(drained.drain()).rejects.toThrow('late')
  })
})
