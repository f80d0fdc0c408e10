import { Flags } from '@oclif/core'
import { SafeSecretCommand } from '../../cli/base-command.js'
import {
  DEFAULT_REAPER_IMAGE,
  DEFAULT_REAPER_NAME,
  DEFAULT_REAPER_SCHEDULE,
} from '../../expiry/reaper-manifests.js'
import { connectionFlags } from '../../kube/connection-flags.js'

export default class ReaperInstall extends SafeSecretCommand {
  static override summary = 'Install the in-cluster reaper: a CronJob that runs `reap` on a schedule.'
  static override description =
    `Creates, in the target namespace, a ServiceAccount, a role that may only list and delete Secrets (a ClusterRole with --scope=cluster, the default, or a Role with --scope=namespace), its binding, and a CronJob that runs \`kubectl-safe_secret reap\` under that ServiceAccount. It enforces annotation-mode expiry even when no laptop is on. Re-running it updates the same objects (server-side apply).

The default image is ${DEFAULT_REAPER_IMAGE}; any image with kubectl-safe_secret on its PATH works (--image).`
  static override examples = [
    'kubectl safe-secret reaper install -n kube-system',
    'kubectl safe-secret reaper install -n team-a --scope namespace --schedule "*/2 * * * *"',
    'kubectl safe-secret reaper install -n kube-system -o yaml',
    'kubectl safe-secret reaper install -n kube-system --dry-run=server',
  ]

  static override flags = {
    ...connectionFlags,
    name: Flags.string({
      description: 'Name of the CronJob and its ServiceAccount.',
      default: DEFAULT_REAPER_NAME,
    }),
    image: Flags.string({
      description: 'Container image with kubectl-safe_secret on its PATH.',
      default: DEFAULT_REAPER_IMAGE,
    }),
    schedule: Flags.string({ description: 'Cron schedule of the reap.', default: DEFAULT_REAPER_SCHEDULE }),
    scope: Flags.string({
      description:
        'cluster: reap every namespace (ClusterRole); namespace: only the one it is installed in (Role).',
      options: ['cluster', 'namespace'],
      default: 'cluster',
    }),
    output: Flags.string({
      char: 'o',
      description: 'Print the manifests instead of installing them.',
      options: ['yaml', 'json'],
    }),
    'dry-run': Flags.string({
      description:
        'server: submit as a server-side dry run; client (or bare --dry-run): print what would be applied.',
      options: ['none', 'client', 'server'],
      default: 'none',
    }),
  }

  async run(): Promise<void> {
    const { normalizeDryRunArgv, dryRunSuffix } = await import('../../expiry/cli-args.js')
    const { flags } = await this.parse(ReaperInstall, normalizeDryRunArgv(this.argv))
    const { resolveConnection } = await import('../../kube/kubeconfig.js')
    const { reaperManifests } = await import('../../expiry/reaper-manifests.js')
    const connection = await resolveConnection(flags)
    const manifests = reaperManifests({
      name: flags.name,
      namespace: connection.namespace,
      image: flags.image,
      schedule: flags.schedule,
      scope: flags.scope as 'cluster' | 'namespace',
    })
    if (flags.output === 'json') {
      process.stdout.write(
        `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests }, null, 2)}\n`,
      )
      return
    }
    if (flags.output === 'yaml') {
      const { stringify } = await import('yaml')
      process.stdout.write(manifests.map((m) => stringify(m)).join('---\n'))
      return
    }
    const { objectRef, applyManifests } = await import('../../expiry/reaper-install.js')
    const suffix = dryRunSuffix(flags['dry-run'])
    if (flags['dry-run'] === 'client') {
      for (const m of manifests) process.stdout.write(`${objectRef(m)} serverside-applied${suffix}\n`)
      return
    }
    const { KubeClient } = await import('../../kube/client.js')
    const applied = await applyManifests(
      new KubeClient(connection),
      manifests,
      flags['dry-run'] === 'server' ? 'server' : 'none',
    )
    for (const a of applied) process.stdout.write(`${a.ref} ${a.outcome}${suffix}\n`)
  }
}
