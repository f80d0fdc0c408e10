/**
 * Installs and uninstalls the reaper. Server-side apply makes a re-install
 * idempotent: the same manifests converge on the same objects.
 */
import { isApiStatus } from '../errors/cli-error.js'
import type { KubeClient } from '../kube/client.js'
import { deleteRequest } from '../kube/delete-request.js'
import { KINDS, kindOf, type Manifest, manifestPath } from './reaper-manifests.js'

export type ServerDryRun = 'none' | 'server'

export interface AppliedObject {
  /** `serviceaccount/safe-secret-reaper`, as kubectl prints it. */
  ref: string
  outcome: 'serverside-applied' | 'deleted' | 'not found'
}

export function objectRef(m: Pick<Manifest, 'kind' | 'metadata'>): string {
  return `${KINDS[m.kind]?.display ?? m.kind.toLowerCase()}/${m.metadata.name}`
}

export async function applyManifests(
  client: KubeClient,
  manifests: Manifest[],
  dryRun: ServerDryRun,
): Promise<AppliedObject[]> {
  const out: AppliedObject[] = []
  for (const m of manifests) {
    await client.request({
      method: 'PATCH',
      path: manifestPath(m),
      contentType: 'application/apply-patch+yaml',
      query: {
        fieldManager: 'kubectl-safe-secret',
        force: true,
        dryRun: dryRun === 'server' ? 'All' : undefined,
      },
      body: m,
      describe: { verb: 'apply', resource: kindOf(m).resource, namespace: m.metadata.namespace },
    })
    out.push({ ref: objectRef(m), outcome: 'serverside-applied' })
  }
  return out
}

/** Deletes in reverse order (the CronJob first, the ServiceAccount last); absent objects are fine. */
export async function deleteManifests(
  client: KubeClient,
  manifests: Manifest[],
  dryRun: ServerDryRun,
): Promise<AppliedObject[]> {
  const out: AppliedObject[] = []
  for (const m of [...manifests].reverse()) {
    try {
      await client.request(
        deleteRequest(
          manifestPath(m),
          { dryRun: dryRun === 'server', propagationPolicy: 'Background' },
          { verb: 'delete', resource: kindOf(m).resource, namespace: m.metadata.namespace },
        ),
      )
      out.push({ ref: objectRef(m), outcome: 'deleted' })
    } catch (err) {
      if (!isApiStatus(err, 404)) throw err
      out.push({ ref: objectRef(m), outcome: 'not found' })
    }
  }
  return out
}
