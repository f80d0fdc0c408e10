import { Args, Flags } from '@oclif/core'
import { SafeSecretCommand } from '../../cli/base-command.js'
import { setEntry } from '../../keychain/entry-commands.js'
import { processStreams } from '../../sources/io-streams.js'
import { terminalPrompter } from '../../sources/prompter.js'

export default class KeychainSet extends SafeSecretCommand {
  static override summary = 'Store a value in the OS keychain, from a hidden prompt or stdin.'
  static override description =
    `Stores the value of the keychain entry named by SERVICE and ACCOUNT: the same entry that \`secret-tool store ... service SERVICE account ACCOUNT\` (Linux), \`security add-generic-password -s SERVICE -a ACCOUNT\` (macOS) and keytar use. The value never comes from the command line: in a terminal it is asked for, hidden; otherwise it is read from stdin (one trailing newline trimmed).

An existing entry is kept unless --overwrite is given. Read it back with \`kubectl safe-secret create NAME --from-keychain=KEY=SERVICE/ACCOUNT\`.`

  static override examples = [
    {
      description: 'Asked for, hidden:',
      command: 'kubectl safe-secret keychain set https://db.example.com admin',
    },
    {
      description: 'From another secret store, in a pipeline:',
      command: 'vault kv get -field=token ci/deploy | kubectl safe-secret keychain set deploy ci --overwrite',
    },
  ]

  static override args = {
    service: Args.string({ description: 'Service of the entry (may be a URL).', required: true }),
    account: Args.string({ description: 'Account of the entry.', required: true }),
  }

  static override flags = {
    overwrite: Flags.boolean({ description: 'Replace the value of an existing entry.' }),
    'keep-trailing-newline': Flags.boolean({
      description: 'With a value from stdin, keep its trailing newline.',
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(KeychainSet)
    const io = processStreams()
    await setEntry(
      {
        service: args.service,
        account: args.account,
        overwrite: flags.overwrite,
        keepTrailingNewline: flags['keep-trailing-newline'],
      },
      {
        io,
        prompter: terminalPrompter(io),
        openKeychain: async () => (await import('../../keychain/backend.js')).openKeychain(),
      },
    )
  }
}
