/**
 * --owned-by KIND/NAME: a Secret bound to the workload that consumes it, so
 * the garbage collector deletes the Secret when the workload goes. The owner
 * must already exist in the Secret's namespace: its uid is read from the
 * server before anything is created.
 */
import { CliError, isApiStatus, UsageError } from '../errors/cli-error.js'
import { quotePath } from '../errors/user-text.js'
import type { KubeClient } from '../kube/client.js'
import type { OwnerReference } from '../kube/object-meta.js'
import { isDnsSubdomain } from '../secret/names.js'
import { PARTIAL_METADATA } from './selectors.js'

/** An owner as named on the command line, its kind resolved to a resource when known. */
export interface OwnerSpec {
  /** What the user typed, for messages: repeated only through quotePath (when it has the shape of names and '/'). */
  text: string
  group: string
  version: string
  kind: string
  /** The plural resource; found by discovery when the user gave GROUP/VERSION/KIND/NAME. */
  resource?: string
  name: string
}

interface KnownKind {
  group: string
  version: string
  kind: string
  resource: string
  aliases: string[]
}

/** The workload kinds a Secret is commonly bound to, by kubectl's names, plurals and short names. */
const KNOWN_KINDS: KnownKind[] = [
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods', aliases: ['po'] },
  { group: 'batch', version: 'v1', kind: 'Job', resource: 'jobs', aliases: [] },
  { group: 'batch', version: 'v1', kind: 'CronJob', resource: 'cronjobs', aliases: ['cj'] },
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', aliases: ['deploy'] },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', resource: 'statefulsets', aliases: ['sts'] },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', resource: 'daemonsets', aliases: ['ds'] },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets', aliases: ['rs'] },
]

const KINDS_HINT =
  'use pod, job, cronjob, deployment, statefulset, daemonset or replicaset, or GROUP/VERSION/KIND/NAME for any other namespaced kind (v1/KIND/NAME for the core group)'

function findKnown(word: string): KnownKind | undefined {
  const w = word.toLowerCase()
  return KNOWN_KINDS.find(
    (k) =>
      w === k.kind.toLowerCase() ||
      w === k.resource ||
      k.aliases.includes(w) ||
      (k.group !== '' && (w === `${k.kind.toLowerCase()}.${k.group}` || w === `${k.resource}.${k.group}`)),
  )
}

const VERSION = /^v\d+((alpha|beta)\d+)?$/

/** Parses --owned-by (pure): KIND/NAME, v1/KIND/NAME or GROUP/VERSION/KIND/NAME. */
export function parseOwnedBy(text: string): OwnerSpec {
  const parts = text.split('/')
  const name = parts[parts.length - 1] ?? ''
  let spec: OwnerSpec
  if (parts.length === 2) {
    const known = findKnown(parts[0] ?? '')
    if (!known) throw new UsageError(`--owned-by ${quotePath(text)}: unknown kind`, { hint: KINDS_HINT })
    spec = {
      text,
      group: known.group,
      version: known.version,
      kind: known.kind,
      resource: known.resource,
      name,
    }
  } else if (parts.length === 3 || parts.length === 4) {
    const [group, version, kind] = parts.length === 3 ? ['', parts[0], parts[1]] : parts
    const groupOk = group === undefined || group === '' || isDnsSubdomain(group)
    if (!groupOk || !VERSION.test(version ?? '') || !/^[A-Za-z][A-Za-z0-9]*$/.test(kind ?? '')) {
      throw new UsageError(
        `--owned-by ${quotePath(text)}: expected GROUP/VERSION/KIND/NAME, such as apps/v1/Deployment/web`,
        {
          hint: KINDS_HINT,
        },
      )
    }
    spec = { text, group: group ?? '', version: version ?? '', kind: kind ?? '', name }
    const known = KNOWN_KINDS.find(
      (k) => k.group === spec.group && k.kind === spec.kind && k.version === spec.version,
    )
    if (known) spec.resource = known.resource
  } else {
    throw new UsageError('--owned-by takes KIND/NAME, such as deployment/web', {
      hint: KINDS_HINT,
    })
  }
  if (!isDnsSubdomain(name)) {
    throw new UsageError(`--owned-by ${quotePath(text)}: the name is not a valid object name`)
  }
  return spec
}

/** Where the owner's group and version are served. */
function apiPath(spec: OwnerSpec): string {
  return spec.group ? `/apis/${spec.group}/${spec.version}` : `/api/${spec.version}`
}

function apiVersionOf(spec: OwnerSpec): string {
  return spec.group ? `${spec.group}/${spec.version}` : spec.version
}

function describeKind(spec: OwnerSpec): string {
  return spec.group ? `${spec.kind.toLowerCase()}.${spec.group}` : spec.kind.toLowerCase()
}

/** Finds the resource for a kind by discovery; refuses kinds that are unknown or cluster-scoped. */
async function discoverResource(client: KubeClient, spec: OwnerSpec): Promise<string> {
  const path = apiPath(spec)
  let list: { resources?: { name: string; kind: string; namespaced: boolean }[] }
  try {
    list = await client.request({ method: 'GET', path, describe: { verb: 'get', resource: 'discovery' } })
  } catch (err) {
    if (isApiStatus(err, 404)) {
      throw new UsageError(
        `--owned-by ${quotePath(spec.text)}: the server has no API ${apiVersionOf(spec)}`,
        {
          hint: KINDS_HINT,
        },
      )
    }
    throw err
  }
  const found = (list.resources ?? []).find((r) => r.kind === spec.kind && !r.name.includes('/'))
  if (!found) {
    throw new UsageError(
      `--owned-by ${quotePath(spec.text)}: the server knows no kind ${spec.kind} in ${apiVersionOf(spec)}`,
      {
        hint: KINDS_HINT,
      },
    )
  }
  if (!found.namespaced) {
    throw new UsageError(
      `--owned-by ${quotePath(spec.text)}: ${spec.kind} is cluster-scoped; the owner must be in the Secret's namespace`,
    )
  }
  return found.name
}

/**
 * The owner reference for --owned-by, with the uid the server holds. Fails
 * when the owner does not exist in `namespace`, before anything is created.
 * No `controller` (the Secret is not the workload's to manage) and no
 * `blockOwnerDeletion` (it needs update on the owner's finalizers where
 * OwnerReferencesPermissionEnforcement is on, and the GC deletes the Secret without it).
 */
export async function resolveOwner(
  client: KubeClient,
  namespace: string,
  spec: OwnerSpec,
): Promise<OwnerReference> {
  const resource = spec.resource ?? (await discoverResource(client, spec))
  let owner: { metadata?: { uid?: string; name?: string; deletionTimestamp?: string } }
  try {
    owner = await client.request({
      method: 'GET',
      path: `${apiPath(spec)}/namespaces/${encodeURIComponent(namespace)}/${resource}/${encodeURIComponent(spec.name)}`,
      accept: PARTIAL_METADATA,
      describe: { verb: 'get', resource: spec.group ? `${resource}.${spec.group}` : resource, namespace },
    })
  } catch (err) {
    if (isApiStatus(err, 404)) {
      throw new CliError(`${describeKind(spec)} "${spec.name}" not found in namespace "${namespace}"`, {
        hint: "--owned-by needs an existing owner in the Secret's namespace: create it first, or pick the namespace with -n",
        cause: err,
      })
    }
    throw err
  }
  const uid = owner.metadata?.uid
  if (!uid) throw new CliError(`${describeKind(spec)} "${spec.name}": the server returned no uid`)
  if (owner.metadata?.deletionTimestamp) {
    throw new CliError(`${describeKind(spec)} "${spec.name}" is being deleted: it cannot own a new Secret`)
  }
  return { apiVersion: apiVersionOf(spec), kind: spec.kind, name: spec.name, uid }
}
