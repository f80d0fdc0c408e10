import { Args, Flags } from '@oclif/core'
import { SafeSecretCommand } from '../cli/base-command.js'
import { deadlineFlags } from '../expiry/flags.js'
import { connectionFlags } from '../kube/connection-flags.js'

export default class Extend extends SafeSecretCommand {
  static override summary = "Move a managed Secret's expiry."
  static override description =
    'Creates a new timer Job for the new deadline, points the Secret at it (a single write, guarded by resourceVersion), then deletes the old timer: the Secret is never without a timer, and never deleted by the old one. Also moves the --compat annotations the Secret carries. For Secrets in annotation mode only the annotations change. A new expiry earlier than the current one is refused unless --allow-earlier is given; a managed Secret without an expiry gets one, and the output says so.'
  static override examples = [
    'kubectl safe-secret extend db-pass --ttl 4h',
    'kubectl safe-secret extend db-pass --expires-at 2026-12-01T18:00:00Z -n payments',
    'kubectl safe-secret extend db-pass --ttl 10m --allow-earlier',
  ]

  static override args = {
    name: Args.string({ description: 'Name of the Secret.', required: true }),
  }

  static override flags = {
    ...connectionFlags,
    ...deadlineFlags,
    'allow-earlier': Flags.boolean({
      description: 'Allow the new expiry to be earlier than the current one (shortening the lifetime).',
    }),
    'dry-run': Flags.string({
      description: 'server: submit every change as a server-side dry run, persisting nothing.',
      options: ['none', 'server'],
      default: 'none',
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Extend)
    const { UsageError } = await import('../errors/cli-error.js')
    const { parseDeadline } = await import('../expiry/plan.js')
    const { checkSecretNameArg, dryRunSuffix } = await import('../expiry/cli-args.js')
    checkSecretNameArg(args.name)
    const deadline = parseDeadline(flags)
    if (!deadline) throw new UsageError('extend needs --ttl or --expires-at')
    const { resolveConnection } = await import('../kube/kubeconfig.js')
    const { KubeClient } = await import('../kube/client.js')
    const { describeExtend, extendSecret } = await import('../expiry/extend.js')
    const connection = await resolveConnection(flags)
    const client = new KubeClient(connection)
    // Resolved on the API server's clock once the Secret is read: no request just to ask the time.
    const result = await extendSecret(client, connection.namespace, args.name, deadline, {
      dryRun: flags['dry-run'] === 'server' ? 'server' : 'none',
      allowEarlier: flags['allow-earlier'],
    })
    process.stdout.write(`${describeExtend(result)}${dryRunSuffix(flags['dry-run'])}\n`)
  }
}
