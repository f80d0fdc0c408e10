import { Flags } from '@oclif/core'
import { SafeSecretCommand } from '../../cli/base-command.js'
import { DEFAULT_REAPER_NAME } from '../../expiry/reaper-manifests.js'
import { connectionFlags } from '../../kube/connection-flags.js'

export default class ReaperUninstall extends SafeSecretCommand {
  static override summary = 'Remove the in-cluster reaper installed by `reaper install`.'
  static override description =
    'Deletes the CronJob, the binding, the role and the ServiceAccount. Objects already gone are fine, so it can be run twice. Managed Secrets are left alone; timer Jobs keep working without the reaper.'
  static override examples = [
    'kubectl safe-secret reaper uninstall -n kube-system',
    'kubectl safe-secret reaper uninstall -n team-a --scope namespace',
  ]

  static override flags = {
    ...connectionFlags,
    name: Flags.string({ description: 'Name given at install.', default: DEFAULT_REAPER_NAME }),
    scope: Flags.string({
      description: 'The scope given at install.',
      options: ['cluster', 'namespace'],
      default: 'cluster',
    }),
    'dry-run': Flags.string({
      description: 'server: submit the deletions as a server-side dry run.',
      options: ['none', 'server'],
      default: 'none',
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(ReaperUninstall)
    const { resolveConnection } = await import('../../kube/kubeconfig.js')
    const { KubeClient } = await import('../../kube/client.js')
    const { reaperManifests } = await import('../../expiry/reaper-manifests.js')
    const { deleteManifests } = await import('../../expiry/reaper-install.js')
    const { dryRunSuffix } = await import('../../expiry/cli-args.js')
    const connection = await resolveConnection(flags)
    const manifests = reaperManifests({
      name: flags.name,
      namespace: connection.namespace,
      image: '',
      schedule: '',
      scope: flags.scope as 'cluster' | 'namespace',
    })
    const done = await deleteManifests(
      new KubeClient(connection),
      manifests,
      flags['dry-run'] === 'server' ? 'server' : 'none',
    )
    const suffix = dryRunSuffix(flags['dry-run'])
    for (const d of done) {
      if (d.outcome === 'deleted') process.stdout.write(`${d.ref} deleted${suffix}\n`)
      else process.stderr.write(`${d.ref} not found\n`)
    }
  }
}
