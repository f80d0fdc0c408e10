import { runClusterAuditCommand } from '../../audit/cluster/command.js'
import { clusterAuditFlags } from '../../audit/cluster/command-flags.js'
import { SafeSecretCommand } from '../../cli/base-command.js'
import { CLUSTER_AUDIT_DESCRIPTION } from './cluster.js'

export default class Audit extends SafeSecretCommand {
  static override summary =
    'Check a cluster for the ways Secrets leak (same as `audit cluster`); see also `audit local`.'
  static override description = CLUSTER_AUDIT_DESCRIPTION
  static override examples = [
    'kubectl safe-secret audit -A',
    'kubectl safe-secret audit -n payments --fail-on medium',
    'kubectl safe-secret audit local',
  ]

  static override flags = clusterAuditFlags

  async run(): Promise<void> {
    const { flags } = await this.parse(Audit)
    process.exitCode = await runClusterAuditCommand(flags)
  }
}
