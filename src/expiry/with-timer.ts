/**
 * The one ordering rule of expiry: the timer Job first, then the Secret owned
 * by it; if the Secret cannot be created, the timer goes again. So no Secret
 * asked to expire ever exists without the timer that will delete it. (A
 * crash between the two leaves only a timer, which deletes itself on time.)
 */

import { faultEnabled, hangForTest } from '../cli/test-faults.js'
import { CliError } from '../errors/cli-error.js'
import type { KubeClient } from '../kube/client.js'
import type { ExpiryPlan } from './metadata.js'
import { createTimerJob, deleteTimerJob } from './timer-api.js'
import { type OwnerReference, ownerReferenceTo } from './timer-job.js'

export type DryRun = 'none' | 'client' | 'server'

/** A server dry run may return a Job without a uid; the Secret's dry run still needs a well-formed one. */
export const DRY_RUN_PLACEHOLDER_UID = '00000000-0000-0000-0000-000000000000'

export async function withExpiryTimer<T>(
  client: KubeClient,
  namespace: string,
  secretName: string,
  plan: ExpiryPlan | undefined,
  dryRun: DryRun,
  createSecret: (ownerReferences: OwnerReference[]) => Promise<T>,
  /** Owners of the timer itself: the consumer given with --owned-by. */
  timerOwners: OwnerReference[] = [],
): Promise<T> {
  // No timer: no expiry, annotation mode, or a client dry run (which creates nothing,
  // so the printed Secret carries the expiry annotations but no ownerReference).
  if (plan?.mode !== 'job' || dryRun === 'client') return createSecret([])

  const serverDryRun = dryRun === 'server'
  const job = await createTimerJob(client, namespace, secretName, plan.expiresAt, {
    dryRun: serverDryRun,
    owners: timerOwners,
  })
  const owner = ownerReferenceTo(job, job.metadata.uid || DRY_RUN_PLACEHOLDER_UID)

  if (faultEnabled('after-timer')) await hangForTest(`job ${namespace}/${job.metadata.name}`)
  try {
    if (faultEnabled('fail-secret')) throw new CliError('test fault: the Secret could not be created')
    return await createSecret([owner])
  } catch (err) {
    if (!serverDryRun) await removeTimerAfterFailure(client, namespace, job.metadata.name, job.metadata.uid)
    throw err
  }
}

async function removeTimerAfterFailure(
  client: KubeClient,
  namespace: string,
  name: string,
  uid: string | undefined,
): Promise<void> {
  try {
    await deleteTimerJob(client, namespace, name, { uid })
  } catch (err) {
    // The timer deletes itself at its deadline anyway: warn, and keep the original error.
    process.stderr.write(
      `warning: could not delete the timer job ${namespace}/${name} (${(err as Error).message.split('\n')[0]}); it will delete itself at its deadline\n`,
    )
  }
}
