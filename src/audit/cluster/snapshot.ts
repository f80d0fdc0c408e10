/**
 * Reads what the cluster checks need, once, through our REST client. A read
 * that fails (Forbidden, not found, not served) is kept as its reason, so the
 * checks that needed it report "unknown" instead of passing.
 */
import { ApiStatusError, ConnectionError } from '../../errors/cli-error.js'
import { collectionPath, pages } from '../../expiry/pages.js'
import type { KubeClient } from '../../kube/client.js'
import {
  type ClusterSnapshot,
  type Fetched,
  type Pod,
  type Role,
  type RoleBinding,
  type SecretMeta,
  WORKLOADS,
  type Workload,
} from './types.js'

/** Secret metadata only: the server strips data, so values never reach this process. */
/** Secrets' metadata only: the audit never reads a value. */
export const METADATA_ONLY =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json'

function reasonOf(err: unknown, what: string): string {
  if (err instanceof ApiStatusError) return `${err.reason}: cannot ${what}`
  return `${(err as Error).message}: cannot ${what}`
}

/**
 * Why the audit is not looking at the cluster at all, when that is the case: no
 * answer (refused, DNS, TLS, timeout) or the credentials were refused (401).
 * A 403 is not that: the user is known and may not read this, so that check
 * alone is unknown.
 */
export function unreachableReason(err: unknown): string | undefined {
  if (err instanceof ConnectionError) return err.message
  if (err instanceof ApiStatusError && err.code === 401) {
    return `the server refused the credentials (Unauthorized): ${err.status.message ?? 'HTTP 401'}`
  }
  return undefined
}

/** Collects the first unreachable reason seen by any read of one snapshot. */
class Reachability {
  reason: string | undefined
  note(err: unknown): void {
    this.reason ??= unreachableReason(err)
  }
}

/** Every item of a list, read 500 at a time. `group`: '' for the core API, else group/version. */
async function listAll<T>(
  reach: Reachability,
  client: KubeClient,
  group: string,
  resource: string,
  namespace: string | undefined,
  options: { labelSelector?: string; accept?: string } = {},
): Promise<Fetched<T>> {
  const where = namespace ? `in namespace ${namespace}` : 'at the cluster scope'
  const items: T[] = []
  try {
    for await (const page of pages<{ items?: T[] }>(client, {
      path: collectionPath(group, resource, namespace ? { namespace } : {}),
      accept: options.accept ?? 'application/json',
      labelSelector: options.labelSelector,
      limit: 500,
      describe: { verb: 'list', resource, namespace },
    })) {
      items.push(...(page.items ?? []))
    }
    return { ok: true, items }
  } catch (err) {
    reach.note(err)
    return { ok: false, reason: reasonOf(err, `list ${resource} ${where}`) }
  }
}

type ListArgs = [
  group: string,
  resource: string,
  namespace: string | undefined,
  options?: { labelSelector?: string; accept?: string },
]

function merge<T>(parts: Fetched<T>[]): Fetched<T> {
  const failed = parts.filter((p): p is { ok: false; reason: string } => !p.ok)
  if (failed.length > 0) return { ok: false, reason: failed.map((f) => f.reason).join('; ') }
  return { ok: true, items: parts.flatMap((p) => (p.ok ? p.items : [])) }
}

export async function readSnapshot(
  client: KubeClient,
  namespace: string | undefined,
  now = new Date(),
): Promise<ClusterSnapshot> {
  const rbac = 'rbac.authorization.k8s.io/v1'
  const reach = new Reachability()
  const list = <T>(...args: ListArgs) => listAll<T>(reach, client, ...args)
  const [
    secrets,
    pods,
    workloadParts,
    controlPlanePods,
    clusterRoles,
    clusterRoleBindings,
    roles,
    roleBindings,
    metrics,
  ] = await Promise.all([
    list<SecretMeta>('', 'secrets', namespace, { accept: METADATA_ONLY }),
    list<Pod>('', 'pods', namespace),
    Promise.all(
      WORKLOADS.map(async (w) => {
        const r = await list<Workload>(w.group, w.resource, namespace)
        return r.ok ? { ok: true as const, items: r.items.map((i) => ({ ...i, kind: w.kind })) } : r
      }),
    ),
    list<Pod>('', 'pods', 'kube-system', { labelSelector: 'component in (kube-apiserver,etcd)' }),
    list<Role>(rbac, 'clusterroles', undefined),
    list<RoleBinding>(rbac, 'clusterrolebindings', undefined),
    list<Role>(rbac, 'roles', namespace),
    list<RoleBinding>(rbac, 'rolebindings', namespace),
    readMetrics(reach, client),
  ])
  return {
    server: client.connection.server,
    namespace,
    now,
    secrets,
    pods,
    workloads: merge(workloadParts),
    controlPlanePods,
    clusterRoles,
    clusterRoleBindings,
    roles,
    roleBindings,
    metrics,
    ...(reach.reason ? { unreachable: reach.reason } : {}),
  }
}

async function readMetrics(reach: Reachability, client: KubeClient): Promise<ClusterSnapshot['metrics']> {
  try {
    const res = await client.raw({
      method: 'GET',
      path: '/metrics',
      accept: 'text/plain',
      describe: { verb: 'get', resource: '/metrics' },
    })
    if (res.status === 200) return { ok: true, text: res.body.toString('utf8') }
    if (res.status === 401)
      reach.note(new ApiStatusError({ code: 401 }, { verb: 'get', resource: '/metrics' }))
    const reason =
      res.status === 403 ? 'Forbidden' : res.status === 401 ? 'Unauthorized' : `HTTP ${res.status}`
    return { ok: false, reason: `${reason}: cannot get the apiserver's /metrics` }
  } catch (err) {
    reach.note(err)
    return { ok: false, reason: reasonOf(err, "get the apiserver's /metrics") }
  }
}
