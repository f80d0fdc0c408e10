/**
 * Live names for shell completion: contexts, clusters and users from the
 * kubeconfig, namespaces and Secret names from the cluster (metadata only,
 * never a value). Loaded by the completion executable only when a lookup is
 * due; it gives up within a short timeout and any failure means no names.
 */
import { MANAGED_SELECTOR } from '../expiry/metadata.js'
import { PARTIAL_METADATA_LIST } from '../expiry/selectors.js'
import type { ConnectionFlagValues } from '../kube/connection-flags.js'

export interface Lookup {
  kind: 'namespaces' | 'contexts' | 'clusters' | 'users' | 'secrets'
  flags: ConnectionFlagValues
  managedOnly?: boolean
}

/** A lookup's requests give up well within the completion's own time limit. */
const LOOKUP_REQUEST_TIMEOUT = '3s'

export async function lookupNames(lookup: Lookup, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const { kubeconfigSource, loadKubeconfigs, resolveConnection } = await import('../kube/kubeconfig.js')
  if (lookup.kind === 'contexts' || lookup.kind === 'clusters' || lookup.kind === 'users') {
    const merged = await loadKubeconfigs(kubeconfigSource(lookup.flags.kubeconfig, env).files)
    return merged[lookup.kind].map((entry) => entry.name).sort()
  }
  const { KubeClient } = await import('../kube/client.js')
  const flags = { ...lookup.flags, 'request-timeout': LOOKUP_REQUEST_TIMEOUT, v: 0 }
  // No warning about --token here: completion writes nothing but candidates.
  const connection = await resolveConnection(flags, env, () => {})
  const client = new KubeClient(connection)
  const path =
    lookup.kind === 'namespaces'
      ? '/api/v1/namespaces'
      : `/api/v1/namespaces/${encodeURIComponent(connection.namespace)}/secrets`
  const list = await client.request<{ items?: { metadata?: { name?: string } }[] }>({
    method: 'GET',
    path,
    accept: PARTIAL_METADATA_LIST,
    query: { limit: 500, labelSelector: lookup.managedOnly ? MANAGED_SELECTOR : undefined },
    describe: { verb: 'list', resource: lookup.kind },
  })
  return (list.items ?? []).map((item) => item.metadata?.name ?? '').filter((name) => name !== '')
}
