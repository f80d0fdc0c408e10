import type { ObjectMeta } from '../kube/object-meta.js'

/** The Secret object as we send it: data holds base64 strings, as the API wants. */
export interface SecretManifest {
  apiVersion: 'v1'
  kind: 'Secret'
  metadata: ObjectMeta & { name: string; namespace: string }
  type: string
  immutable?: boolean
  data: Record<string, string>
}

/** One key of a Secret with its value, kept as bytes until the request is built. */
export interface SecretEntry {
  key: string
  value: Buffer
  /** Where the value came from, for error messages: `stdin`, `file /x`, `env DB_PASS`. Never the value. */
  origin: string
}

/** The API server's limit on the total size of a Secret's data (MaxSecretSize). */
export const MAX_SECRET_DATA_BYTES = 1024 * 1024

export function zeroEntries(entries: SecretEntry[]): void {
  for (const e of entries) e.value.fill(0)
}
