import { Flags } from '@oclif/core'
import { SafeSecretCommand } from '../cli/base-command.js'
import { connectionFlags } from '../kube/connection-flags.js'
import { whoAmI } from '../kube/whoami.js'

export default class WhoAmI extends SafeSecretCommand {
  static override summary = 'Show who the cluster thinks you are, and where commands will act.'
  static override description =
    'Resolves the connection flags as every other command does, then asks the API server through a SelfSubjectReview. Use it to check a context, an impersonation or a namespace before creating Secrets.'
  static override examples = [
    'kubectl safe-secret whoami',
    'kubectl safe-secret whoami --context prod -n payments -o json',
  ]

  static override flags = {
    ...connectionFlags,
    output: Flags.string({ char: 'o', description: 'Output format.', options: ['json', 'yaml'] }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(WhoAmI)
    const me = await whoAmI(flags)
    if (flags.output === 'json') {
      process.stdout.write(`${JSON.stringify(me, null, 2)}\n`)
      return
    }
    if (flags.output === 'yaml') {
      const { stringify } = await import('yaml')
      process.stdout.write(stringify(me))
      return
    }
    const rows: [string, string][] = [
      ['Username', me.username],
      ['Groups', `[${me.groups.join(' ')}]`],
      ['Context', me.context ?? ''],
      ['Server', me.server],
      ['Namespace', me.namespace],
    ]
    const width = Math.max(...rows.map(([k]) => k.length)) + 3
    process.stdout.write(`${'ATTRIBUTE'.padEnd(width)}VALUE\n`)
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}${v}\n`)
  }
}
