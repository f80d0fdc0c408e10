import { Args, Flags } from '@oclif/core'
import { SafeSecretCommand } from '../cli/base-command.js'
import { connectionFlags } from '../kube/connection-flags.js'
import { sourceFlags } from '../sources/flags.js'

export default class Rotate extends SafeSecretCommand {
  static override summary =
    'Give some keys of a Secret new values, keep the rest, and roll the workloads that use it.'
  static override description =
    `The new values come from the same sources as for create, with the same rules. Only the keys named change; the others, the expiry, the owners, the type and the labels stay. The write is guarded by the resourceVersion read before the values, and values that are not rotated never reach this process.

A key that does not exist is refused unless --add is given. A Secret that another controller fills (a ServiceAccount token, or a Secret with a controller ownerReference) is refused unless --force is given.

--restart then restarts every Deployment, StatefulSet and DaemonSet of the namespace whose pod template uses the Secret (env, envFrom, volumes, projected volumes, imagePullSecrets), as 'kubectl rollout restart' does, and lists them.`

  static override examples = [
    {
      description: 'A new database password typed at the prompt, and the applications rolled:',
      command: 'kubectl safe-secret rotate db-pass --from-prompt=password --restart',
    },
    {
      description: 'What would be restarted, writing nothing:',
      command: 'kubectl safe-secret rotate db-pass --from-env=password=NEW_PASS --restart --dry-run',
    },
    {
      description: 'A new key next to the existing ones:',
      command: 'vault read -field=token ci/deploy | kubectl safe-secret rotate ci --from-stdin=token --add',
    },
  ]

  static override args = {
    name: Args.string({ description: 'Name of the Secret.', required: true }),
  }

  static override flags = {
    ...sourceFlags,
    'from-literal': Flags.string({ hidden: true, multiple: true }),
    add: Flags.boolean({ description: 'Allow keys the Secret does not have yet (added).' }),
    force: Flags.boolean({
      description: 'Rotate a Secret that another controller fills (ServiceAccount token, controller owner).',
    }),
    restart: Flags.boolean({
      description:
        'Restart the Deployments, StatefulSets and DaemonSets of the namespace that use the Secret, as kubectl rollout restart.',
    }),
    'dry-run': Flags.string({
      description:
        'client (or a bare --dry-run): write nothing, print what would change and be restarted. server: the same, with every write checked by the server.',
      options: ['none', 'client', 'server'],
      default: 'none',
    }),
    'field-manager': Flags.string({
      description: 'Name of the manager used to track field ownership.',
      default: 'kubectl-safe-secret',
    }),
    ...connectionFlags,
  }

  async run(): Promise<void> {
    const { normalizeDryRunArgv } = await import('../expiry/cli-args.js')
    const { args, flags } = await this.parse(Rotate, normalizeDryRunArgv(this.argv))
    const { refuseLiteral } = await import('../create/create-options.js')
    const { parseSourceFlags } = await import('../sources/source-spec.js')
    const { runRotate } = await import('../rotate/run-rotate.js')
    const { processDeps } = await import('../create/process-deps.js')
    refuseLiteral(flags)
    await runRotate(
      {
        name: args.name,
        sources: parseSourceFlags(flags),
        add: flags.add,
        force: flags.force,
        restart: flags.restart,
        dryRun: flags['dry-run'] as 'none' | 'client' | 'server',
        keepTrailingNewline: flags['keep-trailing-newline'],
        confirm: flags.confirm,
        fieldManager: flags['field-manager'],
        connection: flags,
      },
      processDeps(),
    )
  }
}
