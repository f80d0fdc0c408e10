import { runClusterAuditCommand } from '../../audit/cluster/command.js'
import { clusterAuditFlags } from '../../audit/cluster/command-flags.js'
import { SafeSecretCommand } from '../../cli/base-command.js'

export const CLUSTER_AUDIT_DESCRIPTION = `Checks the cluster for the ways Secrets leak: encryption at rest (from evidence in the apiserver's /metrics: plain reads or writes since it started fail, a pass needs encrypted writes), etcd transport security (flags of the etcd and kube-apiserver mirror pods), who can read Secrets and who can mount them by creating Pods, who can reach them indirectly (pods/exec, impersonation, escalate/bind on roles, patch/update on workload templates) (RBAC, with wildcards and aggregated ClusterRoles resolved; the control plane's own identities, named exactly, shown apart), Secrets in environment variables, plain copies in the last-applied-configuration annotation, and Secrets that never expire.

Namespaced checks cover the current namespace (-n) or every namespace (-A). A check that cannot run (Forbidden, or not visible on a managed cluster) is reported as unknown with the reason and how to check by hand, never as a pass. Secret data is never read: only metadata.

--rewrite-plain-secrets rewrites every Secret in place (GET and PUT of the same bytes, guarded by resourceVersion) so that the current encryption provider stores it, after a confirmation unless --yes is given.

Exit codes: 0, or 3 when a finding reaches --fail-on (or a check is unknown with --fail-on-unknown); 1 on errors, and when the cluster could not be reached or refused the credentials, whatever --fail-on says.`

export default class AuditCluster extends SafeSecretCommand {
  static override summary = 'Check a cluster for the ways Secrets leak.'
  static override description = CLUSTER_AUDIT_DESCRIPTION
  static override examples = [
    'kubectl safe-secret audit cluster -A',
    'kubectl safe-secret audit cluster -n payments -o json',
    'kubectl safe-secret audit cluster -A --fail-on high',
    'kubectl safe-secret audit cluster --rewrite-plain-secrets',
  ]

  static override flags = clusterAuditFlags

  async run(): Promise<void> {
    const { flags } = await this.parse(AuditCluster)
    process.exitCode = await runClusterAuditCommand(flags)
  }
}
