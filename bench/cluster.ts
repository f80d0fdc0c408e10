/** Seeding and counting managed Secrets on the bench cluster (admin token, keep-alive HTTPS). */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import https from 'node:https'
import type { ControlPlaneState } from '../test/cluster/control-plane.js'

export type Api = ReturnType<typeof apiClient>

export function apiClient(cluster: ControlPlaneState) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 32, ca: readFileSync(cluster.caFile) })
  return (method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const req = https.request(
        new URL(cluster.server + urlPath),
        {
          method,
          agent,
          headers: {
            Authorization: `Bearer ${cluster.tokens.admin}`,
            'Content-Type': 'application/json',
            ...(payload ? { 'Content-Length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          )
        },
      )
      req.on('error', reject)
      req.end(payload)
    })
}

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++] as T)
    }),
  )
}

const MANAGED = { 'app.kubernetes.io/managed-by': 'kubectl-safe-secret' }
const EXPIRES_AT = 'kubectl-safe-secret.io/expires-at'
const EXPIRY_MODE = 'kubectl-safe-secret.io/expiry-mode'

export async function seed(
  api: Api,
  prefix: string,
  total: number,
  expiresAt: Date,
  NAMESPACES = 20,
  log: (msg: string) => void = () => {},
) {
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`)
  for (const ns of namespaces) {
    const r = await api('POST', '/api/v1/namespaces', { metadata: { name: ns } })
    if (r.status !== 201 && r.status !== 409) throw new Error(`namespace ${ns}: ${r.status} ${r.body}`)
  }
  const when = expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const items = Array.from({ length: total }, (_, i) => ({ ns: namespaces[i % NAMESPACES] as string, i }))
  const started = Date.now()
  await pool(items, 32, async ({ ns, i }) => {
    const r = await api('POST', `/api/v1/namespaces/${ns}/secrets`, {
      metadata: {
        name: `s-${i}`,
        labels: MANAGED,
        annotations: { [EXPIRES_AT]: when, [EXPIRY_MODE]: 'annotation' },
      },
      type: 'Opaque',
      data: { token: randomBytes(24).toString('base64') },
    })
    if (r.status !== 201) throw new Error(`seed ${ns}/s-${i}: ${r.status} ${r.body}`)
  })
  log(
    `seeded ${total} Secrets in ${NAMESPACES} namespaces (${prefix}-*) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  )
  return namespaces
}

export async function countManaged(api: Api, nsPrefix: string): Promise<number> {
  let count = 0
  let cont = ''
  do {
    const r = await api(
      'GET',
      `/api/v1/secrets?labelSelector=${encodeURIComponent('app.kubernetes.io/managed-by=kubectl-safe-secret')}&limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`,
    )
    const body = JSON.parse(r.body) as {
      items: { metadata: { namespace: string } }[]
      metadata: { continue?: string }
    }
    count += body.items.filter((s) => s.metadata.namespace.startsWith(nsPrefix)).length
    cont = body.metadata.continue ?? ''
  } while (cont)
  return count
}
