/**
 * `audit cluster --rewrite-plain-secrets`: Validate (a yes from somewhere) →
 * confirm → rewrite with progress on a terminal → the count.
 */
import { CliError, UsageError } from '../../errors/cli-error.js'
import { confirmOnTty } from '../local/confirm.js'
import type { ClusterAuditFlagValues } from './command.js'

export async function runRewriteCommand(
  flags: ClusterAuditFlagValues,
  out: NodeJS.WritableStream,
): Promise<number> {
  if (!flags.yes && !process.stdin.isTTY) {
    throw new UsageError(
      '--rewrite-plain-secrets asks for confirmation, but standard input is not a terminal',
      {
        hint: 'pass --yes to rewrite without asking',
      },
    )
  }
  const { resolveConnection } = await import('../../kube/kubeconfig.js')
  const { KubeClient } = await import('../../kube/client.js')
  const { rewriteSecrets } = await import('./rewrite-secrets.js')
  const connection = await resolveConnection(flags)
  // -n narrows it; otherwise every namespace, as `kubectl get secrets -A | kubectl replace`.
  const namespace = flags.namespace
  const scope = namespace === undefined ? 'every namespace' : `namespace ${namespace}`
  if (
    !flags.yes &&
    !(await confirmOnTty(
      `Rewrite every Secret in ${scope} of ${connection.server}, unchanged, so that the current encryption provider stores it?`,
    ))
  ) {
    process.stderr.write('Nothing rewritten.\n')
    return 0
  }
  const tty = process.stderr.isTTY === true
  let lastDraw = 0
  const stats = await rewriteSecrets(new KubeClient(connection), {
    namespace,
    onProgress: ({ done, total }) => {
      if (!tty || (Date.now() - lastDraw < 100 && done < total)) return
      lastDraw = Date.now()
      process.stderr.write(`\rrewriting Secrets: ${done} of ${total}\x1b[K`)
    },
  })
  if (tty) process.stderr.write('\r\x1b[K')
  const total = stats.rewritten + stats.changedMeanwhile + stats.deletedMeanwhile + stats.failures.length
  if (flags.output === 'json') {
    out.write(`${JSON.stringify({ scope, total, ...stats }, null, 2)}\n`)
  } else {
    const extra = [
      stats.changedMeanwhile
        ? `${stats.changedMeanwhile} changed by another writer meanwhile (stored by it)`
        : '',
      stats.deletedMeanwhile ? `${stats.deletedMeanwhile} deleted meanwhile` : '',
      stats.conflictsRetried ? `${stats.conflictsRetried} conflicts read again and retried` : '',
      stats.failures.length ? `${stats.failures.length} failed` : '',
    ].filter(Boolean)
    out.write(
      `Rewrote ${stats.rewritten} of ${total} Secret${total === 1 ? '' : 's'} in ${scope}${extra.length ? ` (${extra.join(', ')})` : ''}.\n` +
        "The apiserver's /metrics keep counting the plain reads made before the rewrite until it restarts: restart every kube-apiserver, then 'kubectl safe-secret audit' passes once a Secret has been written.\n",
    )
  }
  if (stats.failures.length > 0) {
    for (const f of stats.failures.slice(0, 20)) process.stderr.write(`  ${f}\n`)
    throw new CliError(`${stats.failures.length} Secret(s) could not be rewritten`, {
      hint: 'they are still stored as before: fix the cause and run again (rewriting twice is harmless)',
    })
  }
  return 0
}
