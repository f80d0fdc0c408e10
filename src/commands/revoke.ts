import { Args, Flags } from '@oclif/core'
import { SafeSecretCommand } from '../cli/base-command.js'
import { connectionFlags } from '../kube/connection-flags.js'

export default class Revoke extends SafeSecretCommand {
  static override summary = 'Delete a managed Secret and its timer now.'
  static override description =
    'Deletes the Secret at once, then its timer Job (and any timer left behind for that name). Refuses Secrets that kubectl safe-secret does not manage.'
  static override examples = [
    'kubectl safe-secret revoke db-pass',
    'kubectl safe-secret revoke deploy-token -n ci',
  ]

  static override args = {
    name: Args.string({ description: 'Name of the Secret.', required: true }),
  }

  static override flags = {
    ...connectionFlags,
    'dry-run': Flags.string({
      description: 'server: submit the deletions as a server-side dry run, persisting nothing.',
      options: ['none', 'server'],
      default: 'none',
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Revoke)
    const { checkSecretNameArg, dryRunSuffix } = await import('../expiry/cli-args.js')
    checkSecretNameArg(args.name)
    const { resolveConnection } = await import('../kube/kubeconfig.js')
    const { KubeClient } = await import('../kube/client.js')
    const { revokeSecret } = await import('../expiry/revoke.js')
    const connection = await resolveConnection(flags)
    const result = await revokeSecret(new KubeClient(connection), connection.namespace, args.name, {
      dryRun: flags['dry-run'] === 'server',
    })
    const suffix = dryRunSuffix(flags['dry-run'])
    if (result.secret === 'deleted') process.stdout.write(`secret "${args.name}" deleted${suffix}\n`)
    else process.stderr.write(`secret "${args.name}" was already gone\n`)
    for (const job of result.timers) process.stdout.write(`job.batch "${job}" deleted${suffix}\n`)
    for (const job of result.timersLeft) {
      process.stderr.write(
        `warning: not allowed to delete timer job.batch "${job}"; it has nothing left to delete and removes itself at its deadline\n`,
      )
    }
  }
}
