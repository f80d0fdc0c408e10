/**
 * Turns the expiry flags into a plan, or a clear error. Pure: `now` is passed in, and
 * is the API server's time (see ServerClock), never this machine's.
 */
import { UsageError } from '../errors/cli-error.js'
import { quoteName } from '../errors/user-text.js'
import { formatDuration, parseDuration } from '../time/duration.js'
import { ceilToSecond, formatRfc3339Utc, parseRfc3339 } from '../time/instant.js'
import {
  COMPAT_FORMATS,
  type CompatFormat,
  EXPIRY_MODES,
  type ExpiryMode,
  type ExpiryPlan,
} from './metadata.js'

export interface ExpiryFlagValues {
  ttl?: string
  'expires-at'?: string
  'expiry-mode'?: string
  compat?: string[]
  'max-ttl'?: string
  'owned-by'?: string
}

export const DEFAULT_MAX_TTL = '365d'
const MIN_TTL_MS = 1000

const DURATION_HINT = 'use a duration such as 90s, 30m, 8h, 1h30m, 7d or 2w'

/** Parses a positive duration flag (--ttl, --max-ttl), with errors that name the flag. */
export function parsePositiveDuration(flag: string, text: string): number {
  const trimmed = text.trim()
  if (/^-/.test(trimmed)) throw new UsageError(`invalid --${flag}: it must be positive`)
  const ms = parseDuration(trimmed)
  if (ms === undefined) throw new UsageError(`invalid --${flag}: ${DURATION_HINT}`)
  if (ms === 0) throw new UsageError(`invalid --${flag}: it must be greater than zero`)
  if (ms < MIN_TTL_MS) throw new UsageError(`invalid --${flag}: the smallest expiry is 1s`)
  return ms
}

/** Parses --compat values, given repeated and/or comma-separated. */
export function parseCompat(values: readonly string[] | undefined): CompatFormat[] {
  const out: CompatFormat[] = []
  for (const value of values ?? []) {
    for (const part of value.split(',')) {
      const name = part.trim().toLowerCase()
      if (name === '') continue
      if (!(COMPAT_FORMATS as readonly string[]).includes(name)) {
        throw new UsageError(`invalid --compat ${quoteName(part.trim())}: use ${COMPAT_FORMATS.join(', ')}`)
      }
      if (!out.includes(name as CompatFormat)) out.push(name as CompatFormat)
    }
  }
  return out
}

/**
 * What --ttl or --expires-at asked for, checked for everything that does not
 * depend on the time: syntax, a ttl within --max-ttl. Resolved into an instant
 * by `resolveDeadline`, with the API server's now.
 */
export type DeadlineRequest =
  | { kind: 'ttl'; ms: number; maxMs: number }
  | { kind: 'at'; at: Date; maxMs: number }

/** Parses the deadline flags; undefined when neither was given. Shared by `create` and `extend`. */
export function parseDeadline(
  flags: Pick<ExpiryFlagValues, 'ttl' | 'expires-at' | 'max-ttl'>,
): DeadlineRequest | undefined {
  const ttl = flags.ttl
  const at = flags['expires-at']
  if (ttl !== undefined && at !== undefined) {
    throw new UsageError('--ttl and --expires-at cannot be used together: pick one')
  }
  if (ttl === undefined && at === undefined) return undefined
  const maxMs = parsePositiveDuration('max-ttl', flags['max-ttl'] ?? DEFAULT_MAX_TTL)
  if (ttl !== undefined) {
    const ms = parsePositiveDuration('ttl', ttl)
    if (ms > maxMs) {
      throw new UsageError(
        `--ttl ${formatDuration(ms)} is longer than the maximum of ${formatDuration(maxMs)}`,
        {
          hint: 'raise the limit with --max-ttl if you really mean it',
        },
      )
    }
    return { kind: 'ttl', ms, maxMs }
  }
  const parsed = parseRfc3339(at as string)
  if (!parsed) {
    throw new UsageError(
      `invalid --expires-at: use an RFC 3339 time with a zone, such as 2026-12-01T18:00:00Z or 2026-12-01T19:00:00+01:00`,
    )
  }
  return { kind: 'at', at: parsed, maxMs }
}

/**
 * The instant a deadline request means at `now`, which must be the API
 * server's time: a ttl counts from it, and an absolute time must lie after it.
 */
export function resolveDeadline(request: DeadlineRequest, now: Date): Date {
  if (request.kind === 'ttl') return ceilToSecond(new Date(now.getTime() + request.ms))
  const { at, maxMs } = request
  // The parsed time, never the text as typed (an error must not repeat what could be a value).
  const text = formatRfc3339Utc(at)
  if (at.getTime() <= now.getTime()) {
    throw new UsageError(
      `--expires-at ${text} is in the past (the API server's time is ${formatRfc3339Utc(now)})`,
    )
  }
  if (at.getTime() - now.getTime() < MIN_TTL_MS) {
    throw new UsageError(`--expires-at ${text} is less than 1s away`)
  }
  if (at.getTime() - now.getTime() > maxMs) {
    throw new UsageError(`--expires-at ${text} is more than ${formatDuration(maxMs)} away`, {
      hint: 'raise the limit with --max-ttl if you really mean it',
    })
  }
  return ceilToSecond(at)
}

/** The expiry flags of `create`, parsed; the instant comes later, from the server's clock. */
export interface ExpiryRequest {
  deadline: DeadlineRequest
  mode: ExpiryMode
  compat: CompatFormat[]
}

/** Validates the expiry flags of `create`; undefined when no expiry was asked for. */
export function parseExpiry(flags: ExpiryFlagValues): ExpiryRequest | undefined {
  const deadline = parseDeadline(flags)
  const modeText = flags['expiry-mode']
  const compat = parseCompat(flags.compat)
  if (!deadline) {
    if (modeText !== undefined) throw new UsageError('--expiry-mode needs --ttl or --expires-at')
    if ((flags.compat ?? []).length > 0) throw new UsageError('--compat needs --ttl or --expires-at')
    return undefined
  }
  const mode = (modeText ?? 'job').trim().toLowerCase()
  if (!(EXPIRY_MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`invalid --expiry-mode ${quoteName(modeText ?? '')}: use job or annotation`)
  }
  return { deadline, mode: mode as ExpiryMode, compat }
}

/** The plan for a parsed request at `now` (the API server's time). */
export function resolveExpiry(request: ExpiryRequest, now: Date): ExpiryPlan {
  return { expiresAt: resolveDeadline(request.deadline, now), mode: request.mode, compat: request.compat }
}

/** parseExpiry then resolveExpiry: the whole check at one instant. */
export function planExpiry(flags: ExpiryFlagValues, now: Date): ExpiryPlan | undefined {
  const request = parseExpiry(flags)
  return request && resolveExpiry(request, now)
}
