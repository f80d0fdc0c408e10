/**
 * kubectl's connection flags applied to the kubeconfig's cluster and user, with
 * client-go's rules (tools/clientcmd/client_config.go, getCluster and
 * getAuthInfo), on client-node's public Cluster and User shapes. Pure.
 */
import type { Cluster, User } from '@kubernetes/client-node'

export interface ClusterOverrides {
  server?: string
  proxyUrl?: string
  certificateAuthority?: string
  insecureSkipTlsVerify?: boolean
  tlsServerName?: string
}

export interface UserOverrides {
  token?: string
  clientCertificate?: string
  clientKey?: string
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * The cluster as kubectl sees it after its flags:
 * - a non-empty flag replaces the kubeconfig's field;
 * - --insecure-skip-tls-verify or --certificate-authority replaces all three of
 *   CA file, CA data and skip-verify (so `--insecure-skip-tls-verify` with a
 *   kubeconfig CA skips verification instead of failing, and
 *   `--certificate-authority` wins over the kubeconfig's CA data);
 * - --server clears the kubeconfig's tls-server-name unless --tls-server-name is
 *   given too (a name meant for the old address rarely fits a new one), while the
 *   kubeconfig's CA still applies.
 */
export function overrideCluster(cluster: Cluster, o: ClusterOverrides): Cluster {
  const out: Mutable<Cluster> = { ...cluster }
  if (o.server) out.server = o.server
  if (o.proxyUrl) out.proxyUrl = o.proxyUrl
  if (o.insecureSkipTlsVerify || o.certificateAuthority) {
    out.skipTLSVerify = o.insecureSkipTlsVerify === true
    out.caFile = o.certificateAuthority || undefined
    out.caData = undefined
  }
  if (o.tlsServerName || o.server) out.tlsServerName = o.tlsServerName || undefined
  return dropUndefined(out)
}

/**
 * The user as kubectl sees it after its flags: --token replaces the token;
 * --client-certificate and --client-key replace both the file and the inline
 * data of the kubeconfig. An exec plugin is not run when the user already has a
 * token, a client certificate and key, or basic auth, as in client-go's exec
 * authenticator: `--token` with an exec user authenticates with the token.
 */
export function overrideUser(user: User, o: UserOverrides): User {
  const out: Mutable<User> = { ...user }
  if (o.token) out.token = o.token
  if (o.clientCertificate) {
    out.certFile = o.clientCertificate
    out.certData = undefined
  }
  if (o.clientKey) {
    out.keyFile = o.clientKey
    out.keyData = undefined
  }
  const hasCert = Boolean((out.certFile || out.certData) && (out.keyFile || out.keyData))
  if (out.token || hasCert || out.username || out.password) out.exec = undefined
  // An auth provider's round tripper leaves a request that already has an Authorization header alone.
  if (out.token) out.authProvider = undefined
  return dropUndefined(out)
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
