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
    'timer-grace': Flags.string({
      description:
        'Also delete timer Jobs whose Secret does not exist (a create killed half-way) once they are this old, so that a create in flight is never raced. 0 turns the sweep off; it is off with --selector.',
      default: '2m',
      helpValue: 'DURATION',
    }),
  }

  async run(): Promise<void> {
    const { normalizeDryRunArgv, dryRunSuffix } = await import('../expiry/cli-args.js')
    const { flags } = await this.parse(Reap, normalizeDryRunArgv(this.argv))
    const { resolveConnection } = await import('../kube/kubeconfig.js')
    const { KubeClient } = await import('../kube/client.js')
    const { reap } = await import('../expiry/reap.js')
    const { CliError, UsageError } = await import('../errors/cli-error.js')
    const { parseDuration } = await import('../time/duration.js')
    const graceMs = parseDuration(flags['timer-grace'].trim())
    if (graceMs === undefined) {
      throw new UsageError('invalid --timer-grace: use a duration such as 30s, 2m or 1h, or 0')
    }
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
      // A user's selector narrows the Secrets; timers carry no user labels, so they are left alone.
      orphanTimers:
        graceMs > 0 && !flags.selector
          ? {
              graceMs,
              onSwept: (ns, job, secret) =>
                process.stdout.write(
                  `job.batch "${job}" deleted from ${ns} namespace${suffix} (orphan timer: secret "${secret}" does not exist)\n`,
                ),
            }
          : undefined,
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
    const timers = stats.timers
    if (timers?.skipped) process.stderr.write(`orphan timers not checked: ${timers.skipped}\n`)
    else if (timers) {
      process.stderr.write(
        `swept ${timers.swept} orphan timer job(s)${suffix}; ${timers.scanned} timer(s) checked${timers.failed ? `, ${timers.failed} failed` : ''}\n`,
      )
    }
    if (stats.failed > 0 || (timers?.failed ?? 0) > 0) {
      for (const f of [...stats.failures, ...(timers?.failures ?? [])]) process.stderr.write(`  ${f}\n`)
      throw new CliError(
        stats.failed > 0
          ? `${stats.failed} expired secret(s) could not be deleted`
          : `${timers?.failed} orphan timer job(s) could not be deleted`,
      )
    }
  }
}
