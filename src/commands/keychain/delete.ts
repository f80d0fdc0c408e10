import { Args, Flags } from '@oclif/core'
import { SafeSecretCommand } from '../../cli/base-command.js'
import { deleteEntry } from '../../keychain/entry-commands.js'
import { processStreams } from '../../sources/io-streams.js'

export default class KeychainDelete extends SafeSecretCommand {
  static override summary = 'Remove an entry from the OS keychain.'
  static override examples = ['kubectl safe-secret keychain delete https://db.example.com admin']

  static override args = {
    service: Args.string({ description: 'Service of the entry.', required: true }),
    account: Args.string({ description: 'Account of the entry.', required: true }),
  }

  static override flags = {
    'ignore-not-found': Flags.boolean({ description: 'Succeed when the entry does not exist.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(KeychainDelete)
    await deleteEntry(
      { service: args.service, account: args.account, ignoreNotFound: flags['ignore-not-found'] },
      {
        io: processStreams(),
        openKeychain: async () => (await import('../../keychain/backend.js')).openKeychain(),
      },
    )
  }
}
