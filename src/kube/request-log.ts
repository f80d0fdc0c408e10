/**
 * kubectl's -v request log (client-go's transport/round_trippers.go), on stderr
 * in klog's header format: at 6 each response with verb, URL, status and
 * milliseconds; at 7 and up each request with its headers first; at 8 and up the
 * response headers too. Authorization is masked as kubectl masks it. Bodies are
 * never logged, at any level: a Secret's request or response body holds values.
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

/** A header value as it may be logged: credentials masked as client-go masks them. */
export function maskHeader(name: string, value: string): string {
  const lower = name.toLowerCase()
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const [scheme] = value.split(' ')
    return scheme && scheme !== value ? `${scheme} <masked>` : '<masked>'
  }
  return value
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

export function responseLine(
  verb: string,
  url: string,
  status: string,
  milliseconds: number,
  headers?: http.IncomingHttpHeaders,
): string {
  return `"Response" verb="${verb}" url="${url}" status="${status}" milliseconds=${milliseconds}${headers ? headerBlock(headers) : ''}`
}
