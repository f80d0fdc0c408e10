import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node'
import { KubeconfigError, UsageError } from '../errors/cli-error.js'
import { quoteName, quotePath } from '../errors/user-text.js'
import { namespaceNameProblem } from '../secret/names.js'
import { parseRequestTimeout } from '../time/duration.js'
import type { ConnectionFlagValues } from './connection-flags.js'

/** Everything a request needs: who, where, and in which namespace. */
export interface Connection {
  /** A KubeConfig whose current context is exactly the resolved cluster and user. */
  kubeConfig: KubeConfig
  server: string
  contextName?: string
  clusterName?: string
  userName?: string
  namespace: string
  /** True when the namespace came from -n rather than the context or the default. */
  namespaceExplicit: boolean
  impersonateUser?: string
  impersonateGroups: string[]
  /** 0 means no timeout, as in kubectl. */
  requestTimeoutMs: number
}

export interface KubeconfigSource {
  files: string[]
  /** Set when --kubeconfig named the file: a missing file is then an error. */
  explicit: boolean
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token'

/**
 * Which kubeconfig files to read, in kubectl's order: --kubeconfig, then every
 * file in KUBECONFIG (missing ones ignored, duplicates dropped), then
 * ~/.kube/config. An empty list means "no kubeconfig": in-cluster, or an error.
 */
export function kubeconfigSource(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  home = homedir(),
): KubeconfigSource {
  if (flag) return { files: [flag], explicit: true }
  const fromEnv = env.KUBECONFIG
  if (fromEnv && fromEnv.length > 0) {
    const files = [...new Set(fromEnv.split(path.delimiter).filter((f) => f !== ''))]
    return { files: files.filter((f) => existsSync(f)), explicit: false }
  }
  const fallback = path.join(home, '.kube', 'config')
  return { files: existsSync(fallback) ? [fallback] : [], explicit: false }
}

interface NamedLists {
  clusters: Cluster[]
  users: User[]
  contexts: Context[]
  currentContext?: string
}

/**
 * Merges kubeconfig files as kubectl does: for clusters, users and contexts the
 * first file that defines a name wins, and so does the first file that sets
 * current-context. (client-node's own merge throws on duplicates instead.)
 */
export function mergeKubeconfigs(configs: NamedLists[]): NamedLists {
  const merged: NamedLists = { clusters: [], users: [], contexts: [] }
  const seen = { clusters: new Set<string>(), users: new Set<string>(), contexts: new Set<string>() }
  for (const config of configs) {
    for (const kind of ['clusters', 'users', 'contexts'] as const) {
      for (const entry of config[kind]) {
        if (seen[kind].has(entry.name)) continue
        seen[kind].add(entry.name)
        ;(merged[kind] as { name: string }[]).push(entry)
      }
    }
    if (!merged.currentContext && config.currentContext) merged.currentContext = config.currentContext
  }
  return merged
}

/**
 * Resolves the connection flags onto a client-node KubeConfig with kubectl's
 * precedence: --context over current-context, --cluster/--user over the
 * context's, -n over the context's namespace over `default`.
 */
export async function resolveConnection(
  given: ConnectionFlagValues,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Connection> {
  // As in client-go, an empty override (`-n ""`, `--context=`) means "not given".
  const flags: ConnectionFlagValues = Object.fromEntries(
    Object.entries(given).filter(([, v]) => v !== '' && v !== undefined),
  )
  const requestTimeoutMs = parseRequestTimeout(flags['request-timeout'] ?? '0')
  if (requestTimeoutMs === undefined) {
    throw new UsageError(
      'invalid --request-timeout: use 0, an integer of seconds, or a duration such as 5s or 1m',
    )
  }
  // Checked here, not by the server: a value typed after -n would otherwise come back in its messages.
  const namespaceProblem = flags.namespace === undefined ? undefined : namespaceNameProblem(flags.namespace)
  if (namespaceProblem) throw new UsageError(`invalid --namespace: ${namespaceProblem}`)
  if (flags['as-group']?.length && !flags.as) {
    throw new UsageError('--as-group requires --as: impersonating groups without a user is not allowed')
  }
  // Only commands that talk to a cluster load the Kubernetes client, and only its
  // KubeConfig module: the package's index also evaluates every API, watch, exec,
  // cp (tar) and metrics module, about 400 ms in all.
  const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js')
  const source = kubeconfigSource(flags.kubeconfig, env)
  const common = {
    namespaceExplicit: flags.namespace !== undefined,
    impersonateUser: flags.as,
    impersonateGroups: flags['as-group'] ?? [],
    requestTimeoutMs,
  }

  if (source.files.length === 0) {
    if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
      const kc = new KubeConfig()
      kc.loadFromCluster()
      const server = kc.getCurrentCluster()?.server ?? ''
      const namespace = flags.namespace ?? (readInClusterNamespace() || 'default')
      return { kubeConfig: kc, server, namespace, ...common }
    }
    throw new KubeconfigError('no kubeconfig found', {
      hint: 'pass --kubeconfig, set KUBECONFIG, or create ~/.kube/config',
    })
  }

  const loaded: NamedLists[] = source.files.map((file) => {
    const kc = new KubeConfig()
    try {
      kc.loadFromFile(file)
    } catch (err) {
      // A parser's message may quote the file, and a kubeconfig holds credentials: only the kind of failure.
      const code = (err as NodeJS.ErrnoException).code
      const reason =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EACCES'
            ? 'permission denied'
            : code === 'EISDIR'
              ? 'it is a directory'
              : 'it is not a valid kubeconfig (YAML or JSON)'
      throw new KubeconfigError(`cannot load kubeconfig ${quotePath(file)}: ${reason}`, { cause: err })
    }
    return {
      clusters: kc.clusters,
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.currentContext || undefined,
    }
  })
  const merged = mergeKubeconfigs(loaded)

  const contextName = flags.context ?? merged.currentContext
  const context = contextName ? merged.contexts.find((c) => c.name === contextName) : undefined
  if (flags.context && !context) {
    throw new KubeconfigError(`context ${quoteName(flags.context)} does not exist`, {
      hint: "list contexts with 'kubectl config get-contexts'",
    })
  }
  if (!context && !flags.cluster) {
    throw new KubeconfigError(
      contextName ? `current context "${contextName}" does not exist` : 'no context is set in the kubeconfig',
      { hint: "pick one with --context or 'kubectl config use-context NAME'" },
    )
  }
  const clusterName = flags.cluster ?? context?.cluster
  const cluster = merged.clusters.find((c) => c.name === clusterName)
  if (!cluster) {
    const named = flags.cluster ? quoteName(flags.cluster) : `"${clusterName ?? ''}"`
    throw new KubeconfigError(`cluster ${named} does not exist in the kubeconfig`)
  }
  const userName = flags.user ?? context?.user
  const user = userName ? merged.users.find((u) => u.name === userName) : undefined
  if (flags.user && !user) {
    throw new KubeconfigError(`user ${quoteName(flags.user)} does not exist in the kubeconfig`)
  }

  // A kubeconfig holding only the effective cluster and user, so that
  // client-node's auth (certificates, tokens, exec plugins) applies to exactly them.
  const effective = new KubeConfig()
  const anonymous = { name: '__anonymous__' } as User
  effective.loadFromOptions({
    clusters: [cluster],
    users: [user ?? anonymous],
    contexts: [{ name: '__effective__', cluster: cluster.name, user: (user ?? anonymous).name }],
    currentContext: '__effective__',
  })
  return {
    kubeConfig: effective,
    server: cluster.server,
    contextName: context?.name,
    clusterName: cluster.name,
    userName: user?.name,
    namespace: flags.namespace ?? context?.namespace ?? 'default',
    ...common,
  }
}

function readInClusterNamespace(): string | undefined {
  try {
    return readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/namespace', 'utf8').trim()
  } catch {
    return undefined
  }
}
