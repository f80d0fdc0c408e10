import { KubeClient } from './client.js'
import type { ConnectionFlagValues } from './connection-flags.js'
import { resolveConnection } from './kubeconfig.js'

export interface Identity {
  username: string
  /** Only when the API server reports one (e.g. with --as-uid). */
  uid?: string
  groups: string[]
  /** Only when the API server reports some (e.g. with --as-user-extra). */
  extra?: Record<string, string[]>
  context?: string
  server: string
  namespace: string
}

interface SelfSubjectReview {
  status?: {
    userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> }
  }
}

/** Asks the API server who we are, through the same connection every command uses. */
export async function whoAmI(flags: ConnectionFlagValues): Promise<Identity> {
  const connection = await resolveConnection(flags)
  const client = new KubeClient(connection)
  const review = await client.request<SelfSubjectReview>({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    describe: { verb: 'create', resource: 'selfsubjectreviews.authentication.k8s.io' },
  })
  return {
    username: review.status?.userInfo?.username ?? '',
    ...(review.status?.userInfo?.uid ? { uid: review.status.userInfo.uid } : {}),
    groups: review.status?.userInfo?.groups ?? [],
    ...(review.status?.userInfo?.extra ? { extra: review.status.userInfo.extra } : {}),
    context: connection.contextName,
    server: connection.server,
    namespace: connection.namespace,
  }
}
