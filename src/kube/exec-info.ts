/**
 * KUBERNETES_EXEC_INFO for exec credential plugins, as client-go sets it
 * (plugin/pkg/client/auth/exec and rest.ConfigToExecCluster): an ExecCredential
 * of the plugin's apiVersion with `spec.interactive`, and with
 * `provideClusterInfo: true` the cluster: server, tls-server-name,
 * insecure-skip-tls-verify, the CA bundle's bytes, the kubeconfig's proxy-url
 * and the cluster's `client.authentication.k8s.io/exec` extension as `config`.
 * client-node runs the plugin without it; we hand it over through the plugin's
 * own `env` list, which client-node passes to the child on top of ours.
 */
import { readFileSync } from 'node:fs'
import type { Cluster, User } from '@kubernetes/client-node'

export const EXEC_INFO_ENV = 'KUBERNETES_EXEC_INFO'
export const EXEC_EXTENSION = 'client.authentication.k8s.io/exec'

interface ExecConfig {
  apiVersion?: string
  provideClusterInfo?: boolean
  env?: { name: string; value: string }[] | null
}

/** The ExecCredential kubectl would pass; pure apart from reading the CA file. */
export function execInfo(exec: ExecConfig, cluster: Cluster, extension: unknown): object {
  const spec: Record<string, unknown> = {}
  if (exec.provideClusterInfo) {
    const ca = cluster.caData
      ? Buffer.from(cluster.caData, 'base64')
      : cluster.caFile
        ? readFileSync(cluster.caFile)
        : undefined
    spec.cluster = {
      server: cluster.server,
      ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
      ...(cluster.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(ca?.length ? { 'certificate-authority-data': ca.toString('base64') } : {}),
      ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
      config: extension ?? null,
    }
  }
  // The plugin runs with its stdin and stdout piped to us: it can never prompt.
  spec.interactive = false
  return { kind: 'ExecCredential', apiVersion: exec.apiVersion, spec }
}

/** The user with KUBERNETES_EXEC_INFO last in its exec plugin's environment: as in client-go, it wins. */
export function withExecInfo(user: User, cluster: Cluster, extension: unknown): User {
  const exec = user.exec as ExecConfig | undefined
  if (!exec) return user
  const env = (exec.env ?? []).filter((e) => e.name !== EXEC_INFO_ENV)
  const value = JSON.stringify(execInfo(exec, cluster, extension))
  return { ...user, exec: { ...exec, env: [...env, { name: EXEC_INFO_ENV, value }] } }
}
