/** The bench's cluster: finding or starting it, seeding and counting managed Secrets (admin token, keep-alive HTTPS). */
import { randomBytes } from 'node:crypto'
import https from 'node:https'
import path from 'node:path'
import {
  adminRequest,
  type ControlPlaneState,
  isControlPlaneAlive,
  readControlPlaneState,
  startControlPlane,
  stopControlPlane,
} from '../test/cluster/control-plane.js'
import { pool } from '../test/helpers/cluster-api.js'

/**
 * Runs FN with the cluster of `npm run cluster:up` (ROOT/.cluster) when it is up
 * and `own` is not set, else with a fresh control plane stopped afterwards.
 */
export async function withCluster<T>(
  root: string,
  own: boolean,
  log: (msg: string) => void,
  fn: (cluster: ControlPlaneState) => Promise<T>,
): Promise<T> {
  const existing = own ? undefined : readControlPlaneState(path.join(root, '.cluster', 'state.json'))
  if (existing && isControlPlaneAlive(existing)) {
    log(`using the cluster of npm run cluster:up at ${existing.server}`)
    return fn(existing)
  }
  log('starting a control plane (stopped at the end)')
  const cluster = await startControlPlane()
  try {
    return await fn(cluster)
  } finally {
    await stopControlPlane(cluster)
  }
}

export type Api = ReturnType<typeof apiClient>

export function apiClient(cluster: ControlPlaneState) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 32 })
  return (method: string, urlPath: string, body?: unknown) =>
    adminRequest(cluster, method, urlPath, body, undefined, agent)
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
