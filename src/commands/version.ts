import { Flags } from '@oclif/core'
import { SafeSecretCommand } from '../cli/base-command.js'
import { connectionFlags } from '../kube/connection-flags.js'

export default class Version extends SafeSecretCommand {
  static override summary = 'Print the client and server version information.'
  static override description =
    "As 'kubectl version': the plugin's version, then the API server's (from its /version endpoint). With --client, or when the server cannot be reached, only the client's; an unreachable server is then an error, as for kubectl."
  static override examples = [
    'kubectl safe-secret version',
    'kubectl safe-secret version --client',
    'kubectl safe-secret version -o json',
  ]

  static override flags = {
    client: Flags.boolean({ description: 'If true, shows client version only (no server required).' }),
    output: Flags.string({ char: 'o', description: 'One of yaml or json.', options: ['json', 'yaml'] }),
    ...connectionFlags,
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Version)
    const clientVersion = {
      gitVersion: `v${this.config.version}`,
      // Go's names for the architecture, as kubectl prints them.
      platform: `${process.platform}/${({ x64: 'amd64', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch}`,
      nodeVersion: process.version,
    }
    let serverVersion: Record<string, unknown> | undefined
    let failure: unknown
    if (!flags.client) {
      try {
        const { resolveConnection } = await import('../kube/kubeconfig.js')
        const { KubeClient } = await import('../kube/client.js')
        const client = new KubeClient(await resolveConnection(flags))
        serverVersion = await client.request<Record<string, unknown>>({
          method: 'GET',
          path: '/version',
          describe: { verb: 'get', resource: 'version' },
        })
      } catch (err) {
        failure = err
      }
    }
    // As kubectl: what is known is printed, then an unreachable server is the error.
    const versions = { clientVersion, ...(serverVersion ? { serverVersion } : {}) }
    if (flags.output === 'json') process.stdout.write(`${JSON.stringify(versions, null, 2)}\n`)
    else if (flags.output === 'yaml') process.stdout.write((await import('yaml')).stringify(versions))
    else {
      process.stdout.write(`Client Version: ${clientVersion.gitVersion}\n`)
      if (serverVersion) process.stdout.write(`Server Version: ${String(serverVersion.gitVersion ?? '')}\n`)
    }
    if (failure) throw failure
  }
}
