import { createHash } from 'node:crypto'
import { goJsonString } from './typed.js'

/**
 * The suffix kubectl's --append-hash adds (k8s.io/kubectl/pkg/util/hash
 * SecretHash): sha256 of Go's json.Marshal of
 * {"data": {...base64...}, "immutable": B (when set), "kind": "Secret", "name": NAME, "type": TYPE}
 * (keys sorted, as Go sorts map keys), first 10 hex digits, with 0 1 3 a e
 * mapped to g h k m t so the suffix never looks like a number or a word.
 */
export function kubectlSecretHash(
  name: string,
  type: string,
  data: Record<string, string>,
  immutable?: boolean,
): string {
  const dataJson = Object.keys(data)
    .sort()
    .map((k) => `${goJsonString(k)}:${goJsonString(data[k] as string)}`)
    .join(',')
  // Go sorts map keys: data, immutable (only when set), kind, name, type.
  const immutablePart = immutable === undefined ? '' : `"immutable":${immutable},`
  const encoded = `{"data":{${dataJson}},${immutablePart}"kind":"Secret","name":${goJsonString(name)},"type":${goJsonString(type)}}`
  const hex = createHash('sha256').update(encoded, 'utf8').digest('hex')
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' }
  return [...hex.slice(0, 10)].map((c) => swap[c] ?? c).join('')
}
