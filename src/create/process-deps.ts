/** The real I/O, prompter, cluster and keychain behind `create` and `rotate`. */
import { processStreams } from '../sources/io-streams.js'
import { terminalPrompter } from '../sources/prompter.js'
import type { CreateDeps } from './run-create.js'

export function processDeps(): CreateDeps {
  const io = processStreams()
  return {
    io,
    prompter: terminalPrompter(io),
    env: process.env,
    // The Kubernetes client (~400 ms to load) only once a connection is asked for.
    connect: async (connection) => {
      const [{ resolveConnection }, { KubeClient }] = await Promise.all([
        import('../kube/kubeconfig.js'),
        import('../kube/client.js'),
      ])
      return new KubeClient(await resolveConnection(connection))
    },
    readKeychain: async (ref) => (await import('../keychain/index.js')).readKeychainValue(ref),
    now: () => new Date(),
  }
}
