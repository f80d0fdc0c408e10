/**
 * A proposed change to src/kube/client.ts, measured by `npm run bench` before it
 * lands (an esbuild plugin: node scripts/bundle.mjs --plugin bench/proposals/keep-alive.mjs).
 *
 * client-node's applyToHTTPSOptions puts a fresh https.Agent without keep-alive
 * into the request options, so every request pays a new TCP and TLS handshake:
 * reap's thousands of DELETEs spend most of their CPU there. The change swaps
 * that agent for one with keep-alive and the same TLS options (proxy agents,
 * which are subclasses, are left alone).
 */
import { readFileSync } from 'node:fs'

export const PATCH = `// client-node's agent has no keep-alive: every request would pay a TLS handshake.
      if (opts.agent?.constructor === https.Agent) {
        opts.agent = new https.Agent({ ...(opts.agent as https.Agent).options, keepAlive: true })
      }
      this.agentOptions = opts`

export default {
  name: 'proposal-keep-alive',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]kube[\\/]client\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (source.includes('keepAlive')) return { contents: source, loader: 'ts' } // landed already
      const patched = source.replace('this.agentOptions = opts', PATCH)
      if (patched === source)
        throw new Error('keep-alive proposal: src/kube/client.ts changed, update the patch')
      return { contents: patched, loader: 'ts' }
    })
  },
}
