/**
 * kubectl's -v request log (client-go's transport/round_trippers.go), on stderr
 * in klog's header format, with client-go's choice of fields per level:
 *   6   Response: verb, url, status, milliseconds
 *   7   Request: verb, url, headers; Response: status, milliseconds
 *   8   as 7, and the response headers
 *   9+  as 8, the response naming verb and url again (no curl command)
 * Authorization is masked as client-go masks it. Bodies are never logged, at
 * any level (kubectl logs them from 8): a Secret's body holds its values.
 * Pure formatting; the client decides when to write.
 */
import type http from 'node:http'

export const LOG_REQUESTS = 6
export const LOG_REQUEST_HEADERS = 7
export const LOG_RESPONSE_HEADERS = 8

/** klog's line header: `I1202 07:45:01.123456   12345 client.ts] `. */
export function klogHeader(now: Date, pid: number): string {
  const two = (n: number) => String(n).padStart(2, '0')
  const micros = String(now.getMilliseconds() * 1000).padStart(6, '0')
  return `I${two(now.getMonth() + 1)}${two(now.getDate())} ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}.${micros} ${String(pid).padStart(7)} round_trippers.go]`
}

const KNOWN_AUTH_TYPES = new Set(['bearer', 'basic', 'negotiate'])

/** A header value as it may be logged: credentials masked as client-go's maskValue masks them. */
export function maskHeader(name: string, value: string): string {
  const lower = name.toLowerCase()
  if (lower !== 'authorization' && lower !== 'proxy-authorization') return value
  const space = value.indexOf(' ')
  const scheme = space > 0 ? value.slice(0, space) : value
  if (!KNOWN_AUTH_TYPES.has(scheme.toLowerCase())) return '<masked>'
  return value.length > scheme.length + 1 ? `${scheme} <masked>` : scheme
}

function headerBlock(headers: http.OutgoingHttpHeaders | http.IncomingHttpHeaders): string {
  const lines: string[] = []
  for (const [name, raw] of Object.entries(headers).sort(([a], [b]) => a.localeCompare(b))) {
    if (raw === undefined) continue
    const values = Array.isArray(raw) ? raw : [String(raw)]
    for (const v of values) lines.push(`\t${canonical(name)}: ${maskHeader(name, String(v))}`)
  }
  return ` headers=<\n${lines.join('\n')}\n >`
}

/** Go's canonical header key: `content-type` -> `Content-Type`. */
function canonical(name: string): string {
  return name
    .split('-')
    .map((w) => (w ? (w[0] as string).toUpperCase() + w.slice(1).toLowerCase() : w))
    .join('-')
}

export function requestLine(verb: string, url: string, headers: http.OutgoingHttpHeaders): string {
  return `"Request" verb="${verb}" url="${url}"${headerBlock(headers)}`
}

/** The Response line of the given verbosity (6 and up). */
export function responseLine(
  verbosity: number,
  request: { verb: string; url: string },
  status: string,
  milliseconds: number,
  headers: http.IncomingHttpHeaders | undefined,
): string {
  const target = verbosity === LOG_REQUESTS || verbosity > LOG_RESPONSE_HEADERS
  const parts = ['"Response"']
  if (target) parts.push(`verb="${request.verb}" url="${request.url}"`)
  parts.push(`status="${status}"`)
  let line = parts.join(' ')
  if (verbosity >= LOG_RESPONSE_HEADERS) line += headers ? headerBlock(headers) : ' headers=""'
  return `${line} milliseconds=${milliseconds}`
}
