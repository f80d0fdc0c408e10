const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

const COMPOUND = /^(?:\d+(?:ms|[smhdw]))+$/
const PART = /(\d+)(ms|[smhdw])/g

/**
 * Parses a duration: what kube-janitor accepts (`^\d+[smhdw]$`) and compound
 * forms such as `1h30m`. Returns milliseconds, or undefined when the text is
 * not a duration. Zero is returned as 0: callers decide whether it is allowed.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim()
  if (!COMPOUND.test(trimmed)) return undefined
  let total = 0
  for (const match of trimmed.matchAll(PART)) {
    const [, amount, unit] = match
    total += Number(amount) * (UNIT_MS[unit as string] as number)
  }
  return Number.isSafeInteger(total) ? total : undefined
}

/** Renders milliseconds as a short human duration: `8h`, `1h30m`, `45s`, `2d3h`. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s'
  let rest = Math.floor(ms / 1000)
  const parts: string[] = []
  for (const [unit, seconds] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / seconds)
    if (n > 0) parts.push(`${n}${unit}`)
    rest -= n * seconds
    if (parts.length === 2) break
  }
  return parts.join('') || '0s'
}

const GO_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}
const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/
const GO_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g

/**
 * kubectl's --request-timeout: `0` means no timeout, a bare integer is seconds,
 * otherwise a Go duration (time.ParseDuration) such as `500ms`, `1.5s` or `1m30s`.
 * Days and weeks are not Go units, so kubectl refuses them and so do we.
 */
export function parseRequestTimeout(text: string): number | undefined {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  if (!GO_DURATION.test(trimmed)) return undefined
  let total = 0
  for (const [, amount, unit] of trimmed.matchAll(GO_PART)) {
    total += Number(amount) * (GO_UNIT_MS[unit as string] as number)
  }
  return Math.ceil(total)
}
