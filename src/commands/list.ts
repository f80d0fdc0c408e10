import { Flags } from '@oclif/core'
import { SafeSecretCommand } from '../cli/base-command.js'
import { connectionFlags } from '../kube/connection-flags.js'

export default class List extends SafeSecretCommand {
  static override summary =
    'List the Secrets kubectl safe-secret manages: what is still alive, and until when.'
  static override description =
    'Shows each managed Secret with its number of keys, age, expiry, time remaining, expiry mode and whether its timer Job exists. Reads metadata only: the API server counts the keys, and no secret value ever reaches this process.'
  static override examples = [
    'kubectl safe-secret list',
    'kubectl safe-secret list -A',
    'kubectl safe-secret list -n payments -o wide',
    'kubectl safe-secret list -A -o json',
    'kubectl safe-secret list -A --sort-by=expires --expiring-within=24h',
    'kubectl safe-secret list -A --no-headers -o wide',
  ]

  static override flags = {
    ...connectionFlags,
    'all-namespaces': Flags.boolean({
      char: 'A',
      description: 'List managed Secrets across all namespaces.',
    }),
    output: Flags.string({
      char: 'o',
      description: 'Output format.',
      options: ['wide', 'json', 'yaml', 'name'],
    }),
    selector: Flags.string({
      char: 'l',
      description: 'Label selector to filter on, added to the managed-by label (e.g. -l team=a).',
    }),
    'sort-by': Flags.string({
      description:
        'Order the Secrets by: expires (soonest first, none last), name, or age (oldest first). Default: namespace, then name.',
      options: ['expires', 'name', 'age'],
    }),
    'expiring-within': Flags.string({
      description:
        'Only Secrets that expire within this duration from now (e.g. 30m, 24h, 7d), those already past their expiry included.',
      helpValue: 'DURATION',
    }),
    'no-headers': Flags.boolean({
      description: 'When using the default or wide output format, do not print headers.',
    }),
    'chunk-size': Flags.integer({
      description: 'Return large lists in chunks of this size.',
      default: 500,
      min: 1,
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(List)
    const { UsageError } = await import('../errors/cli-error.js')
    const { parseDuration } = await import('../time/duration.js')
    const within = flags['expiring-within']
    const withinMs = within === undefined ? undefined : parseDuration(within)
    if (within !== undefined && withinMs === undefined) {
      throw new UsageError('invalid --expiring-within: use a duration such as 30m, 24h or 7d')
    }
    const { resolveConnection } = await import('../kube/kubeconfig.js')
    const { KubeClient } = await import('../kube/client.js')
    const { listManagedSecrets, renderTable, tableColumns, toSecretList } = await import('../expiry/list.js')
    const { expiringWithin, sortManagedSecrets } = await import('../expiry/list-view.js')
    const connection = await resolveConnection(flags)
    const client = new KubeClient(connection)
    const all = flags['all-namespaces']
    let items = await listManagedSecrets(client, all ? {} : { namespace: connection.namespace }, {
      selector: flags.selector,
      chunkSize: flags['chunk-size'],
    })
    // REMAINING and --expiring-within count on the API server's clock, read from the list responses.
    const now = client.serverClock.now() ?? new Date()
    if (withinMs !== undefined) items = expiringWithin(items, withinMs, now)
    const sortBy = flags['sort-by'] as 'expires' | 'name' | 'age' | undefined
    if (sortBy) items = sortManagedSecrets(items, sortBy)
    switch (flags.output) {
      case 'json':
        process.stdout.write(`${JSON.stringify(toSecretList(items), null, 2)}\n`)
        return
      case 'yaml': {
        const { stringify } = await import('yaml')
        process.stdout.write(stringify(toSecretList(items)))
        return
      }
      case 'name':
        for (const s of items) process.stdout.write(`secret/${s.name}\n`)
        return
    }
    if (items.length === 0) {
      const where = all ? '' : ` in ${connection.namespace} namespace`
      process.stderr.write(`No managed secrets found${where}.\n`)
      return
    }
    process.stdout.write(
      renderTable(tableColumns({ allNamespaces: all, wide: flags.output === 'wide', now }), items, {
        headers: !flags['no-headers'],
      }),
    )
  }
}
