import { Args } from '@oclif/core'
import { SafeSecretCommand } from '../../cli/base-command.js'
import { listAccounts } from '../../keychain/entry-commands.js'
import { processStreams } from '../../sources/io-streams.js'

export default class KeychainList extends SafeSecretCommand {
  static override summary = 'List the accounts stored under a service in the OS keychain (never the values).'
  static override examples = ['kubectl safe-secret keychain list https://db.example.com']

  static override args = {
    service: Args.string({ description: 'Service whose accounts to list.', required: true }),
  }

  async run(): Promise<void> {
    const { args } = await this.parse(KeychainList)
    await listAccounts(args.service, {
      io: processStreams(),
      openKeychain: async () => (await import('../../keychain/backend.js')).openKeychain(),
    })
  }
}
