/**
 * `rotate NAME`: new values for some keys of an existing Secret, the others
 * kept. One JSON patch carries the Secret's resourceVersion (a Secret changed
 * since we read it gives a 409 and nothing is written) and, for each key,
 * `remove` then `add`: the API server's JSON patch (evanphx/json-patch v4)
 * lets `replace` create a missing key, but refuses to `remove` one, and the
 * whole patch with it. So a typo in a key name never adds a key, and the
 * values we do not rotate never reach this process. Only `data` changes:
 * expiry, owners, type and labels stay.
 */
import { ApiStatusError, CliError, isApiStatus, UsageError } from '../errors/cli-error.js'
import { TABLE_WITH_METADATA } from '../expiry/list.js'
import type { ObjectMetaLike } from '../expiry/metadata.js'
import { secretPath } from '../expiry/secret-meta.js'
import { PARTIAL_METADATA } from '../expiry/selectors.js'
import { withApiHint } from '../kube/api-hints.js'
import type { KubeClient } from '../kube/client.js'
import { checkEntries } from '../secret/build-secret.js'
import type { SecretEntry } from '../secret/manifest.js'
import { shapeSecret } from '../secret/typed.js'

export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token'

/** What rotate needs to know about the Secret, read without its data. */
export interface SecretHead {
  metadata: ObjectMetaLike & { deletionTimestamp?: string }
  type: string
  keys: number
}

/** GET as a server-side Table: the type and the key count, with metadata only; never the values. */
export async function getSecretHead(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<SecretHead> {
  let table: {
    columnDefinitions?: { name: string }[]
    rows?: { cells: unknown[]; object?: { metadata?: ObjectMetaLike } }[]
  }
  try {
    table = await client.request({
      method: 'GET',
      path: secretPath(namespace, name),
      accept: TABLE_WITH_METADATA,
      query: { includeObject: 'Metadata' },
      describe: { verb: 'get', resource: 'secrets', namespace },
    })
  } catch (err) {
    if (isApiStatus(err, 404)) {
      throw new CliError(`secret "${name}" not found in namespace "${namespace}"`, {
        hint: "rotate changes an existing Secret: create it with 'kubectl safe-secret create'",
        cause: err,
      })
    }
    throw withApiHint(err)
  }
  const columns = (table.columnDefinitions ?? []).map((c) => c.name)
  const row = table.rows?.[0]
  const cell = (column: string) => row?.cells[columns.indexOf(column)]
  const type = cell('Type')
  const keys = cell('Data')
  return {
    metadata: row?.object?.metadata ?? {},
    type: typeof type === 'string' && type !== '' ? type : 'Opaque',
    keys: typeof keys === 'number' ? keys : 0,
  }
}

/**
 * Why another controller owns this Secret, or undefined: a ServiceAccount
 * token (the token controller fills it) or a controller ownerReference (an
 * operator, cert-manager, sealed-secrets... would overwrite the change or fight it).
 */
export function foreignController(head: SecretHead): string | undefined {
  if (head.type === SERVICE_ACCOUNT_TOKEN_TYPE) {
    const sa = head.metadata.annotations?.['kubernetes.io/service-account.name']
    return `it is a ServiceAccount token${sa ? ` of "${sa}"` : ''}, filled by the token controller`
  }
  const controller = (head.metadata.ownerReferences ?? []).find((r) => r.controller)
  if (controller)
    return `it is controlled by ${controller.kind}/${controller.name}, which may overwrite or revert the change`
  return undefined
}

/** Checks the new values against the Secret's type, with create's rules (pure). */
export function checkRotation(type: string, entries: SecretEntry[], now: Date): string[] {
  checkEntries(entries)
  if (type !== 'kubernetes.io/tls') return []
  const keys = new Set(entries.map((e) => e.key))
  if (keys.has('tls.crt') !== keys.has('tls.key')) {
    throw new UsageError(
      'a kubernetes.io/tls Secret rotates tls.crt and tls.key together: the key must match the certificate',
    )
  }
  return keys.has('tls.crt') ? shapeSecret({ kind: 'tls' }, entries, now).warnings : []
}

/** RFC 6901: a JSON pointer token. */
function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

/**
 * The JSON patch (pure): the resourceVersion we read (a conflict if it moved),
 * then `remove` and `add` for each key (the remove fails on a missing key), or
 * only `add` with --add. A Secret without data gets its `data` object whole.
 */
export function rotationPatch(
  resourceVersion: string,
  entries: SecretEntry[],
  add: boolean,
  hasData: boolean,
): object[] {
  const ops: object[] = [{ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion }]
  if (add && !hasData) {
    ops.push({
      op: 'add',
      path: '/data',
      value: Object.fromEntries(entries.map((e) => [e.key, e.value.toString('base64')])),
    })
    return ops
  }
  for (const e of entries) {
    const path = `/data/${pointerToken(e.key)}`
    if (!add) ops.push({ op: 'remove', path })
    ops.push({ op: 'add', path, value: e.value.toString('base64') })
  }
  return ops
}

/** Sends the patch; maps the server's answers to one-line errors that name keys, never values. */
export async function patchSecretData(
  client: KubeClient,
  namespace: string,
  name: string,
  head: SecretHead,
  entries: SecretEntry[],
  options: { add: boolean; dryRun: boolean; fieldManager: string },
): Promise<void> {
  try {
    const ops = rotationPatch(head.metadata.resourceVersion ?? '', entries, options.add, head.keys > 0)
    // A Buffer, which the client zeroes once sent.
    await jsonPatchSecret(client, namespace, name, Buffer.from(JSON.stringify(ops)), {
      dryRun: options.dryRun ? 'All' : undefined,
      fieldManager: options.fieldManager,
    })
  } catch (err) {
    if (isApiStatus(err, 409)) {
      throw new CliError(`secret "${name}" changed while it was being rotated; nothing was written`, {
        hint: 'run the command again',
        cause: err,
      })
    }
    // A JSON patch that does not apply is a 422 without details (the API server keeps the
    // library's words to itself); validation failures come with causes.
    const causes = err instanceof ApiStatusError ? (err.status.details?.causes ?? []) : []
    if (!options.add && isApiStatus(err, 422) && causes.length === 0) {
      const missing = await missingKeys(client, namespace, name, entries)
      if (missing.length > 0) {
        throw new UsageError(
          `secret "${name}" has no key ${missing.map((k) => `"${k}"`).join(', ')}; nothing was written`,
          { hint: 'rotate replaces existing keys: add --add to add new ones', cause: err },
        )
      }
    }
    const message = [(err as Error).message, ...causes.map((c) => c.message ?? '')].join(' ')
    if (/immutable/i.test(message)) {
      throw new UsageError(`secret "${name}" is immutable: its data cannot change`, {
        hint: 'create a new Secret (e.g. with --append-hash) and point the workloads at it',
        cause: err,
      })
    }
    throw withApiHint(err)
  }
}

/**
 * The keys the Secret lacks, asked of the server one by one with a dry-run
 * `remove` (it fails on a missing key). These patches carry no value.
 */
async function missingKeys(
  client: KubeClient,
  namespace: string,
  name: string,
  entries: SecretEntry[],
): Promise<string[]> {
  const missing: string[] = []
  for (const e of entries) {
    try {
      await jsonPatchSecret(
        client,
        namespace,
        name,
        [{ op: 'remove', path: `/data/${pointerToken(e.key)}` }],
        {
          dryRun: 'All',
        },
      )
    } catch (err) {
      if (isApiStatus(err, 422)) missing.push(e.key)
      else throw err
    }
  }
  return missing
}

function jsonPatchSecret(
  client: KubeClient,
  namespace: string,
  name: string,
  body: Buffer | object[],
  query: Record<string, string | undefined>,
): Promise<unknown> {
  return client.request({
    method: 'PATCH',
    path: secretPath(namespace, name),
    contentType: 'application/json-patch+json',
    // The answer would be the whole Secret: ask for its metadata only.
    accept: PARTIAL_METADATA,
    query,
    body,
    describe: { verb: 'patch', resource: 'secrets', namespace },
  })
}
