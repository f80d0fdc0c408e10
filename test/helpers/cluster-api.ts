/** Admin-side reads and writes on the test control plane, to check what the plugin did. */
import { randomBytes } from 'node:crypto'
import { adminRequest, type ControlPlaneState } from '../cluster/control-plane.js'

export interface SecretObject {
  metadata: {
    name: string
    namespace: string
    uid: string
    resourceVersion: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string }[]
    creationTimestamp?: string
  }
  type?: string
  immutable?: boolean
  data?: Record<string, string>
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}

export async function createNamespace(cluster: ControlPlaneState, prefix = 'e2e'): Promise<string> {
  const name = uniqueName(prefix)
  const res = await adminRequest(cluster, 'POST', '/api/v1/namespaces', { metadata: { name } })
  if (res.status !== 201) throw new Error(`create namespace ${name}: ${res.status} ${res.body}`)
  return name
}

export async function getSecret(
  cluster: ControlPlaneState,
  ns: string,
  name: string,
): Promise<SecretObject | undefined> {
  const res = await adminRequest(cluster, 'GET', `/api/v1/namespaces/${ns}/secrets/${name}`)
  if (res.status === 404) return undefined
  if (res.status !== 200) throw new Error(`get secret ${ns}/${name}: ${res.status} ${res.body}`)
  return JSON.parse(res.body) as SecretObject
}

/** The Secret, or a test failure naming it. */
export async function requireSecret(
  cluster: ControlPlaneState,
  ns: string,
  name: string,
): Promise<SecretObject> {
  const secret = await getSecret(cluster, ns, name)
  if (!secret) throw new Error(`expected secret ${ns}/${name} to exist`)
  return secret
}

export async function listSecrets(
  cluster: ControlPlaneState,
  ns: string,
  labelSelector?: string,
): Promise<SecretObject[]> {
  const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : ''
  const res = await adminRequest(cluster, 'GET', `/api/v1/namespaces/${ns}/secrets${q}`)
  if (res.status !== 200) throw new Error(`list secrets ${ns}: ${res.status} ${res.body}`)
  return (JSON.parse(res.body) as { items: SecretObject[] }).items
}

export async function listJobs(
  cluster: ControlPlaneState,
  ns: string,
): Promise<{ metadata: { name: string; uid: string } }[]> {
  const res = await adminRequest(cluster, 'GET', `/apis/batch/v1/namespaces/${ns}/jobs`)
  if (res.status !== 200) throw new Error(`list jobs ${ns}: ${res.status} ${res.body}`)
  return (JSON.parse(res.body) as { items: { metadata: { name: string; uid: string } }[] }).items
}

/** Decoded bytes of one key of a Secret. */
export function secretBytes(secret: SecretObject, key: string): Buffer | undefined {
  const v = secret.data?.[key]
  return v === undefined ? undefined : Buffer.from(v, 'base64')
}

/** Polls `check` until it holds; returns how long that took, or throws `${failure} within ${timeoutMs} ms`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 250,
  failure = 'condition not met',
): Promise<number> {
  const start = Date.now()
  while (Date.now() - start < timeoutMs) {
    if (await check()) return Date.now() - start
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  throw new Error(`${failure} within ${timeoutMs} ms`)
}

/** `fn` on every item, at most `limit` at a time (e.g. seeding many Secrets); rejects on the first failure. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++] as T)
    }),
  )
}

const ADMISSION = '/apis/admissionregistration.k8s.io/v1'

/**
 * A real ValidatingAdmissionPolicy on the CREATE (and UPDATE) of Secrets in the
 * namespaces labelled LABEL=true, that always fails with MESSAGE_EXPRESSION (CEL:
 * it may quote `object.data`, as policy engines quote a failed field), bound with
 * ACTION: Deny rejects the Secret, Warn accepts it with a Warning header. Returns
 * its removal.
 */
export async function secretPolicy(
  cluster: ControlPlaneState,
  options: { name: string; label: string; messageExpression: string; action: 'Deny' | 'Warn' },
): Promise<() => Promise<void>> {
  const admin = async (method: string, urlPath: string, body: unknown) => {
    const res = await adminRequest(cluster, method, urlPath, body)
    if (res.status >= 300) throw new Error(`${method} ${urlPath}: ${res.status} ${res.body}`)
  }
  await admin('POST', `${ADMISSION}/validatingadmissionpolicies`, {
    metadata: { name: options.name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['secrets'] },
        ],
      },
      validations: [{ expression: 'false', messageExpression: options.messageExpression }],
    },
  })
  await admin('POST', `${ADMISSION}/validatingadmissionpolicybindings`, {
    metadata: { name: options.name },
    spec: {
      policyName: options.name,
      validationActions: [options.action],
      matchResources: { namespaceSelector: { matchLabels: { [options.label]: 'true' } } },
    },
  })
  return async () => {
    await adminRequest(cluster, 'DELETE', `${ADMISSION}/validatingadmissionpolicybindings/${options.name}`)
    await adminRequest(cluster, 'DELETE', `${ADMISSION}/validatingadmissionpolicies/${options.name}`)
  }
}
