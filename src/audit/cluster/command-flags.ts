import { Flags } from '@oclif/core'
import { connectionFlags } from '../../kube/connection-flags.js'
import { auditOutputFlags } from '../output-flags.js'

/** Flags of `audit` and `audit cluster` (the same command under two names). */
export const clusterAuditFlags = {
  ...connectionFlags,
  ...auditOutputFlags,
  'all-namespaces': Flags.boolean({
    char: 'A',
    description: 'Check every namespace instead of the current one (-n). Cluster-wide checks always run.',
  }),
  'max-age': Flags.string({
    description: 'Report Secrets without an expiry that are older than this (e.g. 30d, 12w).',
    default: '90d',
  }),
  'rewrite-plain-secrets': Flags.boolean({
    description:
      'Instead of auditing, rewrite every Secret (of -n, or of every namespace) in place, so that the current encryption provider stores it: a GET and a PUT guarded by resourceVersion, values never printed. Asks first unless --yes.',
  }),
  yes: Flags.boolean({
    char: 'y',
    description: 'Do not ask for confirmation before --rewrite-plain-secrets.',
  }),
}
