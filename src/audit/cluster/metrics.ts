/**
 * A reader for the Prometheus text format, just enough for the apiserver's
 * storage metrics: metric name, labels, value.
 */
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

const LINE = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})?\s+(\S+)/
const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g

export function parseMetrics(text: string, names?: Set<string>): Sample[] {
  const out: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = LINE.exec(line)
    if (!m) continue
    const name = m[1] as string
    if (names && !names.has(name)) continue
    const labels: Record<string, string> = {}
    for (const l of (m[3] ?? '').matchAll(LABEL)) {
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
    }
    out.push({ name, labels, value: Number(m[4]) })
  }
  return out
}
