import { Flags } from '@oclif/core'
import { SafeSecretCommand } from '../cli/base-command.js'
import { connectionFlags } from '../kube/connection-flags.js'

export default class Reap extends SafeSecretCommand {
  static override summary = 'Delete every managed Secret whose expiry has passed.'
  static override description =
    'Enforces expiry for Secrets in annotation mode (and catches any Secret whose timer was lost). Reads metadata only, page by page, and deletes with bounded concurrency; a Secret already gone counts as done, and one changed since it was listed (for example extended) is left alone. The in-cluster reaper runs this command on a schedule.'
  static override examples = [
    'kubectl safe-secret reap -n payments',
    'kubectl safe-secret reap -A --dry-run',
    'kubectl safe-secret reap -A --dry-run=server',
  ]

  static override flags = {
    ...connectionFlags,
    'all-namespaces': Flags.boolean({ char: 'A', description: 'Reap in all namespaces.' }),
    selector: Flags.string({
      char: 'l',
      description: 'Label selector to narrow the reap, added to the managed-by label.',
    }),
    'dry-run': Flags.string({
      description:
        'client (or a bare --dry-run): only print what would be deleted. server: send the deletions as server-side dry runs.',
      options: ['none', 'client', 'server'],
      default: 'none',
    }),
    concurrency: Flags.integer({
      description: 'Deletions in flight at once.',
      default: 32,
      min: 1,
      max: 256,
    }),
    'chunk-size': Flags.integer({ description: 'Secrets per list page.', default: 500, min: 1 }),
  }

  async run(): Promise<void> {
    const { normalizeDryRunArgv, dryRunSuffix } = await import('../expiry/cli-args.js')
    const { flags } = await this.parse(Reap, normalizeDryRunArgv(this.argv))
    const { resolveConnection } = await import('../kube/kubeconfig.js')
    const { KubeClient } = await import('../kube/client.js')
    const { reap } = await import('../expiry/reap.js')
    const { CliError } = await import('../errors/cli-error.js')
    const connection = await resolveConnection(flags)
    const all = flags['all-namespaces']
    const suffix = dryRunSuffix(flags['dry-run'])
    const tty = process.stderr.isTTY === true
    let lastDraw = 0
    const started = Date.now()
    const stats = await reap(new KubeClient(connection), {
      namespace: all ? undefined : connection.namespace,
      selector: flags.selector,
      dryRun: flags['dry-run'] as 'none' | 'client' | 'server',
      concurrency: flags.concurrency,
      chunkSize: flags['chunk-size'],
      onDeleted: (ns, name) =>
        process.stdout.write(`secret "${name}" deleted from ${ns} namespace${suffix}\n`),
      onProgress: (s) => {
        if (!tty || Date.now() - lastDraw < 100) return
        lastDraw = Date.now()
        process.stderr.write(
          `\rreaping: ${s.scanned} scanned, ${s.expired} expired, ${s.deleted} deleted\x1b[K`,
        )
      },
    })
    if (tty) process.stderr.write('\r\x1b[K')
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    const extra = [
      stats.alreadyGone ? `${stats.alreadyGone} already gone` : '',
      stats.changed ? `${stats.changed} changed meanwhile and left alone` : '',
      stats.failed ? `${stats.failed} failed` : '',
    ].filter(Boolean)
    process.stderr.write(
      `reaped ${stats.deleted} expired secret(s)${suffix}; ${stats.scanned} managed scanned${extra.length ? `, ${extra.join(', ')}` : ''} in ${seconds}s\n`,
    )
    if (stats.failed > 0) {
      for (const f of stats.failures) process.stderr.write(`  ${f}\n`)
      throw new CliError(`${stats.failed} expired secret(s) could not be deleted`)
    }
  }
}
