/**
 * The timer: a Job that never runs a pod and fails at its deadline, so that
 * the cluster's own controllers delete it (ttl-after-finished) and, through
 * the ownerReference, the Secret it owns (garbage collector).
 */
import { createHash } from 'node:crypto'
import type { ObjectMeta, OwnerReference } from '../kube/object-meta.js'
import { formatRfc3339Utc } from '../time/instant.js'
import {
  EXPIRES_AT_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  ROLE_LABEL,
  TIMER_FOR_ANNOTATION,
  TIMER_FOR_LABEL,
  TIMER_NAME_PREFIX,
  TIMER_ROLE,
} from './metadata.js'

/** Never pulled (no pod is ever created); chosen because image policies accept it. */
export const TIMER_IMAGE = 'registry.k8s.io/pause:3.10'

export type { OwnerReference } from '../kube/object-meta.js'

export interface JobObject {
  apiVersion?: string
  kind?: string
  metadata: ObjectMeta & { name: string }
  spec?: { activeDeadlineSeconds?: number }
  status?: { startTime?: string; conditions?: { type: string; status: string; reason?: string }[] }
}

/** Seconds from now to the deadline, at least 1 (0 would fail the Job at once). */
export function deadlineSeconds(expiresAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000))
}

/**
 * A label value naming the Secret. Label values stop at 63 characters while
 * Secret names go to 253: longer names are replaced by a hash of the name.
 */
export function timerForLabelValue(secretName: string): string {
  if (secretName.length <= 63) return secretName
  return `h${createHash('sha256').update(secretName).digest('hex').slice(0, 40)}`
}

/**
 * generateName for the Job: `sst-` plus up to 40 characters of the Secret's
 * name plus `-`; the API server appends 5 random characters. At most 50
 * characters, well inside the 63 a Job's name may use (it becomes a label value
 * on its pods: `batch.kubernetes.io/job-name`).
 */
export function timerGenerateName(secretName: string): string {
  const stem = secretName
    .slice(0, 40)
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+$/, '')
  return `${TIMER_NAME_PREFIX}${stem}${stem ? '-' : ''}`
}

/** The Job that acts as the timer for `secretName`, failing at `expiresAt`. */
export interface TimerJobManifest {
  apiVersion: 'batch/v1'
  kind: 'Job'
  metadata: {
    generateName: string
    labels: Record<string, string>
    annotations: Record<string, string>
    ownerReferences?: OwnerReference[]
  }
  spec: {
    parallelism: number
    completions: number
    backoffLimit: number
    activeDeadlineSeconds: number
    ttlSecondsAfterFinished: number
    template: {
      metadata: object
      spec: { restartPolicy: string; containers: ({ image: string } & Record<string, unknown>)[] } & Record<
        string,
        unknown
      >
    }
  }
}

/**
 * `owners`: the consumer of a Secret created with --owned-by and an expiry. The
 * GC deletes a dependent only once all its owners are gone, so the Secret keeps
 * one owner, this Job, and the Job is owned by the consumer: the deadline or
 * the consumer's deletion, whichever comes first, takes the Secret along.
 */
export function timerJobManifest(
  secretName: string,
  expiresAt: Date,
  now: Date,
  owners: OwnerReference[] = [],
): TimerJobManifest {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      ...(owners.length > 0 ? { ownerReferences: owners } : {}),
      generateName: timerGenerateName(secretName),
      labels: {
        [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
        [ROLE_LABEL]: TIMER_ROLE,
        [TIMER_FOR_LABEL]: timerForLabelValue(secretName),
      },
      annotations: {
        [TIMER_FOR_ANNOTATION]: secretName,
        [EXPIRES_AT_ANNOTATION]: formatRfc3339Utc(expiresAt),
      },
    },
    spec: {
      // No pod is ever created: the Job exists only for its deadline.
      parallelism: 0,
      completions: 1,
      backoffLimit: 0,
      activeDeadlineSeconds: deadlineSeconds(expiresAt, now),
      // Deleted as soon as it fails; the garbage collector then deletes the Secret.
      ttlSecondsAfterFinished: 0,
      template: {
        metadata: { labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [ROLE_LABEL]: TIMER_ROLE } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 0,
          // Meets the `restricted` Pod Security Standard, so admission never warns.
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65535,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'timer',
              image: TIMER_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              resources: { requests: { cpu: '1m', memory: '1Mi' }, limits: { cpu: '1m', memory: '8Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  }
}

export function ownerReferenceTo(
  job: { metadata: { name: string; uid?: string } },
  uid?: string,
): OwnerReference {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: uid ?? job.metadata.uid ?? '' }
}

/** Whether the timer has fired: Failed (DeadlineExceeded) and waiting for the ttl controller. */
export function timerFired(job: JobObject): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === 'Failed' && c.status === 'True')
}
