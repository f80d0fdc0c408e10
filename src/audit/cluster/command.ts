/**
 * The body of `audit` and `audit cluster`: Complete (connection, scope) →
 * Validate (--max-age) → Run (snapshot, checks) → print.
 */
import { CliError, ConnectionError, UsageError } from '../../errors/cli-error.js'
import type { ConnectionFlagValues } from '../../kube/connection-flags.js'
import { parseDuration } from '../../time/duration.js'
import { exitCodeFor } from '../findings.js'
import { type AuditOutputFlagValues, failOnOf } from '../output-flags.js'
import { renderJson, renderTable } from '../report.js'

export type ClusterAuditFlagValues = ConnectionFlagValues &
  AuditOutputFlagValues & {
    'all-namespaces'?: boolean
    'max-age'?: string
    'rewrite-plain-secrets'?: boolean
    yes?: boolean
  }

export async function runClusterAuditCommand(
  flags: ClusterAuditFlagValues,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const maxAgeMs = parseDuration(flags['max-age'] ?? '90d')
  if (maxAgeMs === undefined || maxAgeMs <= 0) {
    throw new UsageError('invalid --max-age: use a duration such as 30d or 12w')
  }
  if (flags['all-namespaces'] && flags.namespace !== undefined) {
    throw new UsageError('-A/--all-namespaces and -n/--namespace cannot be used together')
  }
  if (flags['rewrite-plain-secrets']) {
    const { runRewriteCommand } = await import('./rewrite-command.js')
    return runRewriteCommand(flags, out)
  }
  // The Kubernetes client is loaded here only: `audit local` never pays for it.
  const { resolveConnection } = await import('../../kube/kubeconfig.js')
  const { KubeClient } = await import('../../kube/client.js')
  const { readSnapshot } = await import('./snapshot.js')
  const { auditSnapshot } = await import('./run-cluster.js')
  const connection = await resolveConnection(flags)
  const client = new KubeClient(connection)
  // An unreachable cluster is one error, as for every command, not every check "unknown".
  await client
    .request({ method: 'GET', path: '/version', describe: { verb: 'get', resource: 'version' } })
    .catch((err: unknown) => {
      if (err instanceof ConnectionError) throw err
    })
  const snapshot = await readSnapshot(client, flags['all-namespaces'] ? undefined : connection.namespace)
  const report = auditSnapshot(snapshot, { maxAgeMs })
  out.write(flags.output === 'json' ? renderJson(report) : renderTable(report))
  if (snapshot.unreachable) {
    // Unknowns from an unreachable cluster say nothing about it: a CI gate must not pass.
    const unknown = report.checks.filter((c) => c.status === 'unknown').length
    throw new CliError(
      `the audit did not reach the cluster: ${snapshot.unreachable} (${unknown} of ${report.checks.length} checks could not run)`,
      {
        hint: 'exit code 1 whatever --fail-on says: check the server address and credentials (kubectl cluster-info)',
      },
    )
  }
  return exitCodeFor(report, failOnOf(flags), flags['fail-on-unknown'])
}
