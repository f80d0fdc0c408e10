/**
 * Absolute times: what users type (RFC 3339) and the forms other cleaners read.
 * Every formatter works in UTC and to the second, because every consumer
 * (our annotation, kube-janitor, Kyverno, a Job's activeDeadlineSeconds) counts
 * in whole seconds.
 */

// RFC 3339 date-time: a full date, `T` (or a space, which RFC 3339 allows),
// a full time with optional fraction, and a mandatory offset (`Z` or ±hh:mm).
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/**
 * Parses an RFC 3339 time. Returns undefined for anything else, including
 * times without an offset, which would silently depend on the local zone, and
 * impossible dates such as February 30th.
 */
export function parseRfc3339(text: string): Date | undefined {
  const m = RFC3339.exec(text.trim())
  if (!m) return undefined
  const [, y, mo, d, h, mi, s, frac, zulu, sign, oh, om] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined
  let offsetMinutes = 0
  if (!zulu) {
    if (Number(oh) > 23 || Number(om) > 59) return undefined
    offsetMinutes = (Number(oh) * 60 + Number(om)) * (sign === '-' ? -1 : 1)
  }
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000
  return new Date(utc)
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** `2026-11-26T23:50:00Z`: RFC 3339 in UTC, whole seconds (also kube-janitor's first format). */
export function formatRfc3339Utc(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(
    date.getUTCHours(),
  )}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`
}

/**
 * kube-janitor's `janitor/expires` value. Its parser (kube_janitor/helper.py,
 * parse_expiry) tries strptime with `%Y-%m-%dT%H:%M:%SZ`, `%Y-%m-%dT%H:%M` and
 * `%Y-%m-%d`, and compares the result as UTC: the first form is exact to the second.
 */
export function formatJanitorExpires(date: Date): string {
  return formatRfc3339Utc(date)
}

/**
 * Kyverno's `cleanup.kyverno.io/ttl` label value for an absolute time: Go
 * layout `2006-01-02T150405Z` (kyverno.ValueTtlDateTimeLayout): no colons, as
 * label values may not contain them. Go parses a layout without a zone as UTC.
 */
export function formatKyvernoTtl(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(
    date.getUTCHours(),
  )}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
}

/** Rounds up to the next whole second: formats above drop milliseconds, and expiry must never come early. */
export function ceilToSecond(date: Date): Date {
  return new Date(Math.ceil(date.getTime() / 1000) * 1000)
}
