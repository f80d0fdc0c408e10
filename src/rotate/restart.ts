/**
 * `rotate --restart`: the Deployments, StatefulSets and DaemonSets of the
 * namespace whose pod template uses the Secret, restarted the way
 * `kubectl rollout restart` does it: a new value of the pod template
 * annotation kubectl.kubernetes.io/restartedAt, so each controller rolls new
 * pods, which read the new values.
 */

import { collectionPath, pages } from '../expiry/pages.js'
import type { KubeClient } from '../kube/client.js'
import { podSecretRefs, type SecretReferringPodSpec } from '../secret/pod-secret-refs.js'
import { formatRfc3339Utc } from '../time/instant.js'

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt'

/** The apps/v1 resources `kubectl rollout restart` restarts. */
const WORKLOADS = ['deployments', 'statefulsets', 'daemonsets'] as const

export type PodSpec = SecretReferringPodSpec

interface Workload {
  metadata: { name: string; namespace?: string }
  spec?: { paused?: boolean; template?: { spec?: PodSpec } }
}

export interface WorkloadRef {
  /** The apps/v1 resource: deployments, statefulsets or daemonsets. */
  resource: (typeof WORKLOADS)[number]
  name: string
  /** A paused Deployment is not restarted: kubectl refuses it too. */
  paused: boolean
}

/** deployment.apps/NAME, as kubectl names a workload in `rollout restart` output. */
export function workloadName(workload: WorkloadRef): string {
  return `${workload.resource.slice(0, -1)}.apps/${workload.name}`
}

/** Whether a pod spec uses the Secret, in any container's env or envFrom, a volume or imagePullSecrets (pure). */
export function podSpecUsesSecret(spec: PodSpec | undefined, secret: string): boolean {
  return podSecretRefs(spec).some((ref) => ref.secret === secret)
}

/** The workloads of the namespace whose pod template uses the Secret, by kind then name. */
export async function findConsumers(
  client: KubeClient,
  namespace: string,
  secret: string,
): Promise<WorkloadRef[]> {
  const found: WorkloadRef[] = []
  for (const resource of WORKLOADS) {
    const names: WorkloadRef[] = []
    for await (const page of pages<{ items?: Workload[] }>(client, {
      path: collectionPath('apps/v1', resource, { namespace }),
      accept: 'application/json',
      limit: 500,
      describe: { verb: 'list', resource: `${resource}.apps`, namespace },
    })) {
      for (const w of page.items ?? []) {
        if (podSpecUsesSecret(w.spec?.template?.spec, secret)) {
          names.push({ resource, name: w.metadata.name, paused: w.spec?.paused === true })
        }
      }
    }
    found.push(...names.sort((a, b) => a.name.localeCompare(b.name)))
  }
  return found
}

/** The patch of `kubectl rollout restart` (pure), with the time as it will be recorded. */
export function restartPatch(at: Date): object {
  return {
    spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: formatRfc3339Utc(at) } } } },
  }
}

export async function restartWorkload(
  client: KubeClient,
  namespace: string,
  workload: WorkloadRef,
  at: Date,
  dryRun: boolean,
): Promise<void> {
  const { resource } = workload
  await client.request({
    method: 'PATCH',
    path: `${collectionPath('apps/v1', resource, { namespace })}/${encodeURIComponent(workload.name)}`,
    contentType: 'application/strategic-merge-patch+json',
    accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    query: { dryRun: dryRun ? 'All' : undefined, fieldManager: 'kubectl-rollout' },
    body: restartPatch(at),
    describe: { verb: 'patch', resource: `${resource}.apps`, namespace },
  })
}
