/**
 * The conflict and deletion paths of --rewrite-plain-secrets. A 409 between
 * our GET and PUT cannot be timed on the real API server (the e2e test runs a
 * concurrent writer, but the window is too short to hit reliably), so this
 * stub client, named as such, answers the sequence we need.
 */
import { describe, expect, it } from 'vitest'
import { rewriteSecrets } from '../../../src/audit/cluster/rewrite-secrets.js'
import type { KubeClient, KubeRequest } from '../../../src/kube/client.js'

function stubClient(script: Record<string, number[]>): { client: KubeClient; puts: Buffer[]; log: string[] } {
  const puts: Buffer[] = []
  const log: string[] = []
  const list = {
    items: Object.keys(script).map((name) => ({ metadata: { name, namespace: 'shop' } })),
    metadata: { remainingItemCount: 0 },
  }
  const client = {
    connection: { server: 'https://stub' },
    async request() {
      return list
    },
    async raw(req: KubeRequest) {
      const name = req.path.split('/').pop() as string
      log.push(`${req.method} ${name}`)
      if (req.method === 'GET') {
        const status = script[name]?.[0] === 404 ? 404 : 200
        return {
          status,
          body: Buffer.from(`{"metadata":{"name":"${name}","resourceVersion":"${log.length}"}}`),
          headers: {},
        }
      }
      puts.push(Buffer.from(req.body as Buffer))
      const status = script[name]?.shift() ?? 200
      return { status, body: Buffer.alloc(0), headers: {} }
    },
  }
  return { client: client as unknown as KubeClient, puts, log }
}

describe('rewriteSecrets', () => {
  it('puts back the bytes it got; a conflict is read again; a deleted Secret is counted apart', async () => {
    const { client, puts, log } = stubClient({ a: [], b: [409], c: [409, 409, 409], d: [404] })
    const progress: string[] = []
    const stats = await rewriteSecrets(client, {
      concurrency: 1,
      onProgress: (p) => progress.push(`${p.done}/${p.total}`),
    })
    expect(stats).toEqual({
      rewritten: 2,
      changedMeanwhile: 1,
      deletedMeanwhile: 1,
      conflictsRetried: 4,
      failures: [],
    })
    expect(log.filter((l) => l.endsWith(' b'))).toEqual(['GET b', 'PUT b', 'GET b', 'PUT b'])
    expect(puts[0]?.toString()).toBe('{"metadata":{"name":"a","resourceVersion":"1"}}')
    expect(progress).toEqual(['1/4', '2/4', '3/4', '4/4'])
  })

  it('a refused PUT is a failure named by namespace and name, with the status only', async () => {
    const { client } = stubClient({ a: [422] })
    const stats = await rewriteSecrets(client)
    expect(stats.failures).toEqual(['shop/a: Invalid'])
  })
})
