/**
 * Replaces every value of a Secret-like object with `<redacted: N bytes>`,
 * for any output. There is deliberately no way to print values.
 */
export function redactSecret<
  T extends { data?: Record<string, string>; stringData?: Record<string, string> },
>(secret: T): T {
  // Field by field, in the object's order: the values themselves are never copied.
  const copy: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(secret)) {
    if (field === 'data' && value) copy[field] = redactedSizes(value as Record<string, string>, 'base64')
    else if (field === 'stringData' && value)
      copy[field] = redactedSizes(value as Record<string, string>, 'utf8')
    else copy[field] = structuredClone(value)
  }
  return copy as T
}

function redactedSizes(values: Record<string, string>, encoding: 'base64' | 'utf8'): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      `<redacted: ${Buffer.byteLength(value, encoding)} bytes>`,
    ]),
  )
}
