import { describe, expect, it } from 'vitest'
import { ApiStatusError, CliError } from '../../../src/errors/cli-error.js'
import { describeExtend, extendSecret } from '../../../src/expiry/extend.js'
import { revokeSecret } from '../../../src/expiry/revoke.js'
import { fakeClient } from './fake-client.js'

const managed = {
  metadata: {
    name: 'db',
    namespace: 'ns',
    uid: 'u-secret',
    resourceVersion: '5',
    labels: { 'app.kubernetes.io/managed-by': 'kubectl-safe-secret' },
    annotations: {
      'kubectl-safe-secret.io/expires-at': '2026-11-26T13:00:00Z',
      'kubectl-safe-secret.io/expiry-mode': 'job',
    },
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'sst-db-old', uid: 'u-old' }],
  },
}

function status(code: number) {
  return new ApiStatusError({ code, message: `HTTP ${code}` }, { verb: 'x', resource: 'y' })
}

describe('revokeSecret', () => {
  it('deletes the Secret (metadata-only answer) and then its timer', async () => {
    const { client, requests } = fakeClient((req) => {
      if (req.method === 'GET' && req.path.endsWith('/secrets/db')) return managed
      if (req.method === 'GET') return { items: [] }
      return {}
    })
    const result = await revokeSecret(client, 'ns', 'db')
    expect(result).toEqual({ secret: 'deleted', timers: ['sst-db-old'], timersLeft: [] })
    const deletes = requests.filter((r) => r.method === 'DELETE')
    expect(deletes.map((r) => r.path)).toEqual([
      '/api/v1/namespaces/ns/secrets/db',
      '/apis/batch/v1/namespaces/ns/jobs/sst-db-old',
    ])
    expect(deletes[0]?.accept).toContain('as=PartialObjectMetadata')
    expect(requests[0]?.accept).toContain('as=PartialObjectMetadata')
  })

  it('refuses a Secret it does not manage', async () => {
    const { client, requests } = fakeClient(() => ({ metadata: { name: 'db', labels: {} } }))
    await expect(revokeSecret(client, 'ns', 'db')).rejects.toThrow(/not managed by kubectl-safe-secret/)
    expect(requests.filter((r) => r.method === 'DELETE')).toHaveLength(0)
  })

  it('still succeeds when the timer may not be deleted (it deletes itself)', async () => {
    const { client } = fakeClient((req) => {
      if (req.method === 'GET' && req.path.endsWith('/secrets/db')) return managed
      if (req.method === 'GET' || req.path.includes('/jobs/')) throw status(403)
      return {}
    })
    expect(await revokeSecret(client, 'ns', 'db')).toEqual({
      secret: 'deleted',
      timers: [],
      timersLeft: ['sst-db-old'],
    })
  })

  it('is NotFound when neither the Secret nor a timer exists', async () => {
    const { client } = fakeClient((req) => {
      if (req.method === 'GET' && req.path.endsWith('/secrets/db')) throw status(404)
      return { items: [] }
    })
    await expect(revokeSecret(client, 'ns', 'db')).rejects.toBeInstanceOf(ApiStatusError)
  })
})

describe('extendSecret', () => {
  const newExpiry = new Date('2026-11-26T15:00:00Z')

  it('creates the new timer, switches the owner in one guarded patch, then deletes the old timer', async () => {
    const { client, requests } = fakeClient((req) => {
      if (req.method === 'GET') return managed
      if (req.method === 'POST') return { metadata: { name: 'sst-db-new', uid: 'u-new' } }
      return {}
    })
    const result = await extendSecret(client, 'ns', 'db', newExpiry)
    expect(result).toMatchObject({ newTimer: 'sst-db-new', oldTimers: ['sst-db-old'], mode: 'job' })
    expect(requests.map((r) => `${r.method} ${r.path.split('/').slice(-2).join('/')}`)).toEqual([
      'GET secrets/db',
      // The old timer's own owners (a consumer given with --owned-by) pass to the new one.
      'GET jobs/sst-db-old',
      'POST ns/jobs',
      'PATCH secrets/db',
      'DELETE jobs/sst-db-old',
    ])
    const patch = requests[3]
    expect(patch?.contentType).toBe('application/merge-patch+json')
    expect(patch?.body).toMatchObject({
      metadata: {
        resourceVersion: '5',
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'sst-db-new', uid: 'u-new' }],
        annotations: { 'kubectl-safe-secret.io/expires-at': '2026-11-26T15:00:00Z' },
      },
    })
    expect(requests[4]?.body).toMatchObject({ preconditions: { uid: 'u-old' } })
  })

  it('on a conflict, deletes the new timer, keeps the old one and says so', async () => {
    const { client, requests } = fakeClient((req) => {
      if (req.method === 'GET') return managed
      if (req.method === 'POST') return { metadata: { name: 'sst-db-new', uid: 'u-new' } }
      if (req.method === 'PATCH') throw status(409)
      return {}
    })
    await expect(extendSecret(client, 'ns', 'db', newExpiry)).rejects.toThrow(
      /changed while its expiry was being moved/,
    )
    const deletes = requests.filter((r) => r.method === 'DELETE').map((r) => r.path)
    expect(deletes).toEqual(['/apis/batch/v1/namespaces/ns/jobs/sst-db-new'])
  })

  it('refuses unmanaged Secrets and Secrets already being deleted', async () => {
    const unmanaged = fakeClient(() => ({ metadata: { name: 'x' } }))
    await expect(extendSecret(unmanaged.client, 'ns', 'x', newExpiry)).rejects.toBeInstanceOf(CliError)
    const dying = fakeClient(() => ({
      metadata: { ...managed.metadata, deletionTimestamp: '2026-11-26T12:00:00Z' },
    }))
    await expect(extendSecret(dying.client, 'ns', 'db', newExpiry)).rejects.toThrow(/already being deleted/)
    expect(dying.requests.filter((r) => r.method !== 'GET')).toHaveLength(0)
  })

  it('refuses to move the expiry earlier without allowEarlier, before any write', async () => {
    const current = managed.metadata.annotations?.['kubectl-safe-secret.io/expires-at'] as string
    const earlier = new Date(Date.parse(current) - 60_000)
    const refused = fakeClient(() => managed)
    await expect(extendSecret(refused.client, 'ns', 'db', earlier)).rejects.toThrow(
      /is earlier than the current one/,
    )
    expect(refused.requests.filter((r) => r.method !== 'GET')).toHaveLength(0)
    const allowed = fakeClient((req) =>
      req.method === 'POST' ? { metadata: { name: 'n', uid: 'u' } } : managed,
    )
    await expect(
      extendSecret(allowed.client, 'ns', 'db', earlier, { allowEarlier: true }),
    ).resolves.toMatchObject({
      expiresAt: earlier,
    })
  })

  it('says plainly when it gives an expiry to a Secret that had none', () => {
    expect(
      describeExtend({ name: 'db', namespace: 'ns', expiresAt: newExpiry, mode: 'job', oldTimers: [] }),
    ).toBe('secret/db had no expiry: it now expires at 2026-11-26T15:00:00Z (job mode)')
  })
})
