/**
 * Replaces every value of a Secret-like object with `<redacted: N bytes>`,
 * for any output. There is deliberately no way to print values.
 */
export function redactSecret<
  T extends { data?: Record<string, string>; stringData?: Record<string, string> },
>(secret: T): T {
  const copy = structuredClone(secret)
  if (copy.data) {
    for (const key of Object.keys(copy.data)) {
      copy.data[key] = `<redacted: ${Buffer.byteLength(copy.data[key] as string, 'base64')} bytes>`
    }
  }
  if (copy.stringData) {
    for (const key of Object.keys(copy.stringData)) {
      copy.stringData[key] = `<redacted: ${Buffer.byteLength(copy.stringData[key] as string, 'utf8')} bytes>`
    }
  }
  return copy
}
