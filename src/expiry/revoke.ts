/** Deletes a managed Secret and its timer now. */
import { isApiStatus } from '../errors/cli-error.js'
import type { KubeClient } from '../kube/client.js'
import { deleteRequest } from '../kube/delete-request.js'
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, timerOwners } from './metadata.js'
import { getManagedSecretMetadata, secretPath } from './secret-meta.js'
import { PARTIAL_METADATA } from './selectors.js'
import { deleteTimerJob, findTimersFor } from './timer-api.js'

export interface RevokeResult {
  secret: 'deleted' | 'not-found'
  timers: string[]
  /** Timers we were not allowed to delete: they delete themselves at their deadline. */
  timersLeft: string[]
}

export async function revokeSecret(
  client: KubeClient,
  namespace: string,
  name: string,
  options: { dryRun?: boolean } = {},
): Promise<RevokeResult> {
  const dryRun = options.dryRun ?? false
  let owners: { name: string; uid: string }[] = []
  let secret: RevokeResult['secret'] = 'deleted'
  let notFound: unknown
  try {
    const { metadata } = await getManagedSecretMetadata(
      client,
      namespace,
      name,
      `revoke deletes only Secrets labelled ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}; use 'kubectl delete secret' for others`,
    )
    owners = timerOwners(metadata)
    await client.request(
      deleteRequest(
        secretPath(namespace, name),
        { dryRun, preconditions: { uid: metadata.uid } },
        { verb: 'delete', resource: 'secrets', namespace },
        // The answer is the deleted Secret: take its metadata only.
        PARTIAL_METADATA,
      ),
    )
  } catch (err) {
    if (!isApiStatus(err, 404)) throw err
    secret = 'not-found'
    notFound = err
  }

  // The owners, plus any timer left behind for this name (a crash between timer and Secret).
  const timers = new Map(owners.map((o) => [o.name, o.uid as string | undefined]))
  try {
    for (const job of await findTimersFor(client, namespace, name)) {
      if (!timers.has(job.metadata.name)) timers.set(job.metadata.name, job.metadata.uid)
    }
  } catch (err) {
    // Without the right to list Jobs (annotation-mode users), only the owners are known.
    if (!isApiStatus(err, 403)) throw err
  }
  const deleted: string[] = []
  const left: string[] = []
  for (const [jobName, uid] of timers) {
    try {
      if ((await deleteTimerJob(client, namespace, jobName, { uid, dryRun })) === 'deleted')
        deleted.push(jobName)
    } catch (err) {
      // The Secret is already gone, which is what revoke is for; a timer we may not delete is harmless.
      if (!isApiStatus(err, 403)) throw err
      left.push(jobName)
    }
  }
  if (secret === 'not-found' && deleted.length === 0 && left.length === 0) {
    throw notFound
  }
  return { secret, timers: deleted, timersLeft: left }
}
