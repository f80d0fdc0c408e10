/** A stand-in for KubeClient: records requests and answers from a handler. */
import type { KubeClient, KubeRequest } from '../../../src/kube/client.js'

export function fakeClient(handler: (req: KubeRequest) => Promise<unknown> | unknown): {
  client: KubeClient
  requests: KubeRequest[]
} {
  const requests: KubeRequest[] = []
  const client = {
    namespace: 'default',
    // The API server's clock: the tests' own, as on the test control plane.
    serverClock: { now: () => new Date(), known: true },
    async serverNow() {
      return new Date()
    },
    async request(req: KubeRequest) {
      requests.push(req)
      return handler(req)
    },
  } as unknown as KubeClient
  return { client, requests }
}
