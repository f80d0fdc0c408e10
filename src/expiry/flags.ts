import { Flags } from '@oclif/core'
import { DEFAULT_MAX_TTL } from './plan.js'

/** The expiry flags of `create` (and, for the deadline, of `extend`). */
export const deadlineFlags = {
  ttl: Flags.string({
    description:
      'Delete the Secret after this long: 90s, 30m, 8h, 1h30m, 7d, 2w (units s m h d w, combinable).',
    helpGroup: 'EXPIRY',
    exclusive: ['expires-at'],
  }),
  'expires-at': Flags.string({
    description: 'Delete the Secret at this time, RFC 3339 with a zone: 2026-12-01T18:00:00Z.',
    helpGroup: 'EXPIRY',
    exclusive: ['ttl'],
  }),
  'max-ttl': Flags.string({
    description: 'Refuse an expiry further away than this (a guard against typos).',
    default: DEFAULT_MAX_TTL,
    helpGroup: 'EXPIRY',
  }),
}

export const expiryFlags = {
  ...deadlineFlags,
  'expiry-mode': Flags.string({
    description:
      'job (default): a timer Job the cluster runs deletes the Secret on time, even with this laptop closed; needs create rights on jobs.batch. annotation: only annotations are written, and NOTHING deletes the Secret by itself: it goes only when `kubectl safe-secret reap` or the in-cluster reaper runs.',
    options: ['job', 'annotation'],
    helpGroup: 'EXPIRY',
  }),
  compat: Flags.string({
    description:
      'Also write the expiry in the formats of other cleaners, so they enforce it too: janitor (kube-janitor `janitor/expires`), kyverno (`cleanup.kyverno.io/ttl` label). Comma-separated or repeated.',
    multiple: true,
    delimiter: ',',
    helpGroup: 'EXPIRY',
  }),
  'owned-by': Flags.string({
    description:
      'Bind the Secret to the object that uses it, in the same namespace: the garbage collector deletes the Secret when that object is deleted (with --ttl too: whichever comes first). KIND/NAME for pod, job, cronjob, deployment, statefulset, daemonset, replicaset; GROUP/VERSION/KIND/NAME for any other namespaced kind.',
    helpValue: 'KIND/NAME',
    helpGroup: 'EXPIRY',
  }),
}
