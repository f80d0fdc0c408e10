/** Secret metadata by name, never its data. */
import type { KubeClient } from '../kube/client.js'
import type { ObjectMetaLike } from './metadata.js'
import { PARTIAL_METADATA } from './selectors.js'

export function secretPath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`
}

export interface PartialObject {
  metadata: ObjectMetaLike & { deletionTimestamp?: string }
}

/** GET as PartialObjectMetadata: the server strips data before it leaves. */
export async function getSecretMetadata(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<PartialObject> {
  return client.request<PartialObject>({
    method: 'GET',
    path: secretPath(namespace, name),
    accept: PARTIAL_METADATA,
    describe: { verb: 'get', resource: 'secrets', namespace },
  })
}
