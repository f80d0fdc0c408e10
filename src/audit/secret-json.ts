/**
 * Key names of a Secret written as JSON (a last-applied copy, a patch body),
 * or undefined when the text is not JSON. The text is parsed only to name its
 * keys: no value is ever kept.
 */
export function secretJsonKeys(text: string): string[] | undefined {
  try {
    const doc = JSON.parse(text) as { data?: object; stringData?: object }
    return [...Object.keys(doc.data ?? {}), ...Object.keys(doc.stringData ?? {})]
  } catch {
    return undefined
  }
}
