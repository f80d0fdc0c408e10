import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node'
import { KubeconfigError, UsageError } from '../errors/cli-error.js'
import { fileErrorReason, quoteName, quotePath } from '../errors/user-text.js'
import { namespaceProblem } from '../secret/names.js'
import { parseRequestTimeout } from '../time/duration.js'
import type { ConnectionFlagValues } from './connection-flags.js'
import { EXEC_EXTENSION, withExecInfo } from './exec-info.js'
import { overrideCluster, overrideUser } from './overrides.js'
import { proxyFromEnvironment } from './proxy-env.js'

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
  impersonateUid?: string
  /** --as-user-extra, by key. */
  impersonateExtra: Record<string, string[]>
  /** 0 means no timeout, as in kubectl. */
  requestTimeoutMs: number
  /** kubectl's -v: 0 logs nothing; 6 requests, 7 request headers, 8 response headers. */
  verbosity: number
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

export interface NamedLists {
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

/** The kubeconfig files read and merged as kubectl does. */
export async function loadKubeconfigs(files: string[]): Promise<NamedLists> {
  const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js')
  const loaded: NamedLists[] = files.map((file) => {
    const kc = new KubeConfig()
    try {
      kc.loadFromFile(file)
    } catch (err) {
      // A parser's message may quote the file, and a kubeconfig holds credentials: only the kind of failure.
      const reason =
        fileErrorReason((err as NodeJS.ErrnoException).code) ?? 'it is not a valid kubeconfig (YAML or JSON)'
      throw new KubeconfigError(`cannot load kubeconfig ${quotePath(file)}: ${reason}`, { cause: err })
    }
    return {
      clusters: kc.clusters,
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.currentContext || undefined,
    }
  })
  return mergeKubeconfigs(loaded)
}

/**
 * Resolves the connection flags onto a client-node KubeConfig with kubectl's
 * precedence: --context over current-context, --cluster/--user over the
 * context's, -n over the context's namespace over `default`.
 */
export async function resolveConnection(
  given: ConnectionFlagValues,
  env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = (line) => process.stderr.write(line),
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
  const badNamespace = flags.namespace === undefined ? undefined : namespaceProblem(flags.namespace)
  if (badNamespace) throw new UsageError(`invalid -n/--namespace: ${badNamespace}`)
  if (flags['as-group']?.length && !flags.as) {
    throw new UsageError('--as-group requires --as: impersonating groups without a user is not allowed')
  }
  if (flags['as-uid'] && !flags.as) {
    throw new UsageError('--as-uid requires --as: impersonating a uid without a user is not allowed')
  }
  const impersonateExtra: Record<string, string[]> = {}
  for (const entry of flags['as-user-extra'] ?? []) {
    const eq = entry.indexOf('=')
    if (eq <= 0) throw new UsageError('invalid --as-user-extra: use KEY=VALUE')
    const key = entry.slice(0, eq)
    impersonateExtra[key] = [...(impersonateExtra[key] ?? []), entry.slice(eq + 1)]
  }
  if (Object.keys(impersonateExtra).length > 0 && !flags.as) {
    throw new UsageError('--as-user-extra requires --as: impersonating extras without a user is not allowed')
  }
  if (flags.token) {
    warn(
      'warning: --token is readable by other users in the process list and stays in your shell history; prefer a kubeconfig user (token-file, exec plugin or client certificate) selected with --user, --context or KUBECONFIG\n',
    )
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
    impersonateUid: flags['as-uid'],
    impersonateExtra,
    requestTimeoutMs,
    verbosity: flags.v ?? 0,
  }
  const clusterOverrides = {
    server: flags.server,
    proxyUrl: flags['proxy-url'],
    certificateAuthority: flags['certificate-authority'],
    insecureSkipTlsVerify: flags['insecure-skip-tls-verify'],
    tlsServerName: flags['tls-server-name'],
  }
  const userOverrides = {
    token: flags.token,
    clientCertificate: flags['client-certificate'],
    clientKey: flags['client-key'],
  }

  if (source.files.length === 0) {
    if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
      const kc = new KubeConfig()
      kc.loadFromCluster()
      const cluster = kc.getCurrentCluster() as Cluster
      const user = kc.getCurrentUser() as User
      const namespace = flags.namespace ?? (readInClusterNamespace() || 'default')
      const effective = effectiveConfig(
        new KubeConfig(),
        withEnvProxy(overrideCluster(cluster, clusterOverrides), env),
        overrideUser(user, userOverrides),
      )
      return { kubeConfig: effective.kubeConfig, server: effective.server, namespace, ...common }
    }
    if (flags.server) {
      // As kubectl: --server (with the other flags) is a whole connection without any kubeconfig.
      const cluster = overrideCluster({ name: '', server: '', skipTLSVerify: false }, clusterOverrides)
      const user = overrideUser({ name: '' }, userOverrides)
      const effective = effectiveConfig(new KubeConfig(), withEnvProxy(cluster, env), user)
      return {
        kubeConfig: effective.kubeConfig,
        server: effective.server,
        namespace: flags.namespace ?? 'default',
        ...common,
      }
    }
    throw new KubeconfigError('no kubeconfig found', {
      hint: 'pass --kubeconfig, set KUBECONFIG, or create ~/.kube/config',
    })
  }

  const merged = await loadKubeconfigs(source.files)

  const contextName = flags.context ?? merged.currentContext
  const context = contextName ? merged.contexts.find((c) => c.name === contextName) : undefined
  if (flags.context && !context) {
    throw new KubeconfigError(`context ${quoteName(flags.context)} does not exist`, {
      hint: "list contexts with 'kubectl config get-contexts'",
    })
  }
  if (!context && !flags.cluster && !flags.server) {
    throw new KubeconfigError(
      contextName ? `current context "${contextName}" does not exist` : 'no context is set in the kubeconfig',
      { hint: "pick one with --context or 'kubectl config use-context NAME'" },
    )
  }
  const clusterName = flags.cluster ?? context?.cluster
  const found = merged.clusters.find((c) => c.name === clusterName)
  // A cluster named by --cluster must exist; the context's may be missing when --server says where to go.
  if (!found && (flags.cluster || !flags.server)) {
    const named = flags.cluster ? quoteName(flags.cluster) : `"${clusterName ?? ''}"`
    throw new KubeconfigError(`cluster ${named} does not exist in the kubeconfig`)
  }
  const cluster = overrideCluster(
    found ?? { name: clusterName ?? '', server: '', skipTLSVerify: false },
    clusterOverrides,
  )
  if (!cluster.server) {
    throw new KubeconfigError(`no server found for cluster "${cluster.name}"`)
  }
  const userName = flags.user ?? context?.user
  const user = userName ? merged.users.find((u) => u.name === userName) : undefined
  if (flags.user && !user) {
    throw new KubeconfigError(`user ${quoteName(flags.user)} does not exist in the kubeconfig`)
  }

  const overridden = overrideUser(user ?? { name: '__anonymous__' }, userOverrides)
  const wantsClusterInfo = (overridden.exec as { provideClusterInfo?: boolean } | undefined)
    ?.provideClusterInfo
  const extension = wantsClusterInfo
    ? await clusterExtension(source.files, cluster.name, EXEC_EXTENSION)
    : undefined
  // Before the environment's proxy: the plugin is told only the kubeconfig's proxy-url, as by client-go.
  const effectiveUser = withExecInfo(overridden, cluster, extension)
  const effective = effectiveConfig(new KubeConfig(), withEnvProxy(cluster, env), effectiveUser)
  return {
    kubeConfig: effective.kubeConfig,
    server: effective.server,
    contextName: context?.name,
    clusterName: cluster.name,
    userName: user?.name,
    namespace: contextNamespace(flags.namespace, context),
    ...common,
  }
}

/** -n, else the context's namespace (checked, as the API server would refuse it), else `default`. */
function contextNamespace(flag: string | undefined, context: Context | undefined): string {
  if (flag !== undefined) return flag
  const fromContext = context?.namespace
  if (fromContext === undefined || fromContext === '') return 'default'
  const problem = namespaceProblem(fromContext)
  if (problem) throw new KubeconfigError(`invalid namespace in context "${context?.name}": ${problem}`)
  return fromContext
}

/**
 * A kubeconfig holding only the effective cluster and user, so that
 * client-node's auth (certificates, tokens, exec plugins) applies to exactly them.
 */
function effectiveConfig(
  kubeConfig: KubeConfig,
  cluster: Cluster,
  user: User,
): { kubeConfig: KubeConfig; server: string } {
  const named = { ...cluster, name: cluster.name || '__cluster__' }
  const namedUser = { ...user, name: user.name || '__anonymous__' }
  kubeConfig.loadFromOptions({
    clusters: [named],
    users: [namedUser],
    contexts: [{ name: '__effective__', cluster: named.name, user: namedUser.name }],
    currentContext: '__effective__',
  })
  return { kubeConfig, server: cluster.server }
}

/** The kubeconfig's proxy-url, or else the proxy Go's ProxyFromEnvironment would pick for the server. */
function withEnvProxy(cluster: Cluster, env: NodeJS.ProcessEnv): Cluster {
  if (cluster.proxyUrl) return cluster
  const proxyUrl = proxyFromEnvironment(cluster.server, env)
  return proxyUrl ? { ...cluster, proxyUrl } : cluster
}

/**
 * A cluster's extension from the first kubeconfig file that defines the cluster
 * (client-node keeps no extensions). Read only for exec plugins that ask for
 * cluster info.
 */
async function clusterExtension(files: string[], clusterName: string, extensionName: string) {
  const { parse } = await import('yaml')
  for (const file of files) {
    const doc = parse(readFileSync(file, 'utf8')) as {
      clusters?: { name?: string; cluster?: { extensions?: { name?: string; extension?: unknown }[] } }[]
    } | null
    const entry = doc?.clusters?.find((c) => c.name === clusterName)
    if (entry) return entry.cluster?.extensions?.find((e) => e.name === extensionName)?.extension
  }
  return undefined
}

function readInClusterNamespace(): string | undefined {
  try {
    return readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/namespace', 'utf8').trim()
  } catch {
    return undefined
  }
}
