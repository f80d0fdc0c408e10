import { runClusterAuditCommand } from '../../audit/cluster/command.js'
import { clusterAuditFlags } from '../../audit/cluster/command-flags.js'
import { SafeSecretCommand } from '../../cli/base-command.js'

export const CLUSTER_AUDIT_DESCRIPTION = `Checks the cluster for the ways Secrets leak: encryption at rest (from the apiserver's /metrics and its static pod flags, naming the signal used), etcd transport security (etcd and kube-apiserver static pod flags), who can read Secrets and who can mount them by creating Pods (RBAC, with wildcards and aggregated ClusterRoles resolved; the cluster's own identities shown apart), Secrets in environment variables, plain copies in the last-applied-configuration annotation, and Secrets that never expire.

Namespaced checks cover the current namespace (-n) or every namespace (-A). A check that cannot run (Forbidden, or not visible on a managed cluster) is reported as unknown with the reason and how to check by hand, never as a pass. Secret data is never read: only metadata.

Exit codes: 0, or 3 when a finding reaches --fail-on (or a check is unknown with --fail-on-unknown); 1 on errors.`

export default class AuditCluster extends SafeSecretCommand {
  static override summary = 'Check a cluster for the ways Secrets leak.'
  static override description = CLUSTER_AUDIT_DESCRIPTION
  static override examples = [
    'kubectl safe-secret audit cluster -A',
    'kubectl safe-secret audit cluster -n payments -o json',
    'kubectl safe-secret audit cluster -A --fail-on high',
  ]

  static override flags = clusterAuditFlags

  async run(): Promise<void> {
    const { flags } = await this.parse(AuditCluster)
    process.exitCode = await runClusterAuditCommand(flags)
  }
}
