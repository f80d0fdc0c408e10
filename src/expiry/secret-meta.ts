/** Secret metadata by name, never its data. */
import { CliError } from '../errors/cli-error.js'
import type { KubeClient } from '../kube/client.js'
import { isManaged, type ObjectMetaLike } from './metadata.js'
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

/** Like getSecretMetadata, but refuses a Secret that kubectl-safe-secret does not manage, with `hint`. */
export async function getManagedSecretMetadata(
  client: KubeClient,
  namespace: string,
  name: string,
  hint: string,
): Promise<PartialObject> {
  const secret = await getSecretMetadata(client, namespace, name)
  if (!isManaged(secret.metadata)) {
    throw new CliError(`secret "${name}" in namespace "${namespace}" is not managed by kubectl-safe-secret`, {
      hint,
    })
  }
  return secret
}
