import { UsageError } from '../errors/cli-error.js'
import { quoteName } from '../errors/user-text.js'
import { kubectlSecretHash } from './hash.js'
import { MAX_SECRET_DATA_BYTES, type SecretEntry, type SecretManifest } from './manifest.js'
import { secretKeyProblem, secretNameProblem } from './names.js'

export interface SecretSpec {
  name: string
  namespace: string
  type: string
  /** The type kubectl hashes for --append-hash (empty for a generic Secret without --type). */
  typeForHash?: string
  entries: SecretEntry[]
  labels: Record<string, string>
  annotations: Record<string, string>
  immutable: boolean
  appendHash: boolean
  ownerReferences?: SecretManifest['metadata']['ownerReferences']
}

/** Every key valid, no key twice, at least one key, and the total under the API's limit. */
export function checkEntries(entries: SecretEntry[]): void {
  if (entries.length === 0) {
    throw new UsageError('no value to store: the sources gave no key', {
      hint: 'give at least one of --from-prompt, --from-stdin, --from-file, --from-env-file, --from-env, --from-keychain',
    })
  }
  const seen = new Map<string, string>()
  let total = 0
  for (const e of entries) {
    const problem = secretKeyProblem(e.key)
    if (problem)
      throw new UsageError(
        `${quoteName(e.key)} (from ${e.origin}) is not a valid key name for a Secret: ${problem}`,
      )
    const previous = seen.get(e.key)
    if (previous !== undefined) {
      throw new UsageError(
        `cannot add key "${e.key}" from ${e.origin}: another key by that name already comes from ${previous}`,
      )
    }
    seen.set(e.key, e.origin)
    total += e.value.length
  }
  if (total > MAX_SECRET_DATA_BYTES) {
    throw new UsageError(
      `the Secret's data is ${total} bytes, over the API's limit of ${MAX_SECRET_DATA_BYTES} bytes (1 MiB)`,
      {
        hint: 'Secrets are for credentials; store large files elsewhere',
      },
    )
  }
}

/**
 * The Secret object to send. Pure: the same spec gives the same object. With
 * appendHash, the name gets kubectl's content hash suffix.
 */
export function buildSecret(spec: SecretSpec): SecretManifest {
  checkEntries(spec.entries)
  // fromEntries defines own properties, so even a key named "__proto__" (valid for the API) is kept.
  const data: Record<string, string> = Object.fromEntries(
    [...spec.entries]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((e) => [e.key, e.value.toString('base64')]),
  )
  let name = spec.name
  if (spec.appendHash) {
    const hash = kubectlSecretHash(
      spec.name,
      spec.typeForHash ?? spec.type,
      data,
      spec.immutable ? true : undefined,
    )
    name = `${spec.name}-${hash}`
  }
  const problem = secretNameProblem(name)
  if (problem) throw new UsageError(`invalid Secret name ${quoteName(name)}: ${problem}`)
  const metadata: SecretManifest['metadata'] = { name, namespace: spec.namespace }
  if (Object.keys(spec.labels).length > 0) metadata.labels = { ...spec.labels }
  if (Object.keys(spec.annotations).length > 0) metadata.annotations = { ...spec.annotations }
  if (spec.ownerReferences && spec.ownerReferences.length > 0) metadata.ownerReferences = spec.ownerReferences
  const manifest: SecretManifest = { apiVersion: 'v1', kind: 'Secret', metadata, type: spec.type, data }
  if (spec.immutable) manifest.immutable = true
  return manifest
}
