/**
 * Turns the expiry flags into a plan, or a clear error. Pure: `now` is passed in.
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
 * The deadline asked for by --ttl or --expires-at, checked against now and
 * --max-ttl; undefined when neither was given. Shared by `create` and `extend`.
 */
export function planDeadline(
  flags: Pick<ExpiryFlagValues, 'ttl' | 'expires-at' | 'max-ttl'>,
  now: Date,
): Date | undefined {
  const ttl = flags.ttl
  const at = flags['expires-at']
  if (ttl !== undefined && at !== undefined) {
    throw new UsageError('--ttl and --expires-at cannot be used together: pick one')
  }
  if (ttl === undefined && at === undefined) return undefined
  const maxMs = parsePositiveDuration('max-ttl', flags['max-ttl'] ?? DEFAULT_MAX_TTL)

  let expiresAt: Date
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
    expiresAt = ceilToSecond(new Date(now.getTime() + ms))
  } else {
    const parsed = parseRfc3339(at as string)
    if (!parsed) {
      throw new UsageError(
        `invalid --expires-at: use an RFC 3339 time with a zone, such as 2026-12-01T18:00:00Z or 2026-12-01T19:00:00+01:00`,
      )
    }
    if (parsed.getTime() <= now.getTime()) {
      throw new UsageError(
        `--expires-at ${formatRfc3339Utc(parsed)} is in the past (now is ${formatRfc3339Utc(now)})`,
      )
    }
    if (parsed.getTime() - now.getTime() < MIN_TTL_MS) {
      throw new UsageError(`--expires-at ${formatRfc3339Utc(parsed)} is less than 1s away`)
    }
    if (parsed.getTime() - now.getTime() > maxMs) {
      throw new UsageError(
        `--expires-at ${formatRfc3339Utc(parsed)} is more than ${formatDuration(maxMs)} away`,
        {
          hint: 'raise the limit with --max-ttl if you really mean it',
        },
      )
    }
    expiresAt = ceilToSecond(parsed)
  }
  return expiresAt
}

/** Validates the expiry flags of `create`; undefined when no expiry was asked for. */
export function planExpiry(flags: ExpiryFlagValues, now: Date): ExpiryPlan | undefined {
  const expiresAt = planDeadline(flags, now)
  const modeText = flags['expiry-mode']
  const compat = parseCompat(flags.compat)
  if (!expiresAt) {
    if (modeText !== undefined) throw new UsageError('--expiry-mode needs --ttl or --expires-at')
    if ((flags.compat ?? []).length > 0) throw new UsageError('--compat needs --ttl or --expires-at')
    return undefined
  }
  const mode = (modeText ?? 'job').trim().toLowerCase()
  if (!(EXPIRY_MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`invalid --expiry-mode ${quoteName(modeText ?? '')}: use job or annotation`)
  }
  return { expiresAt, mode: mode as ExpiryMode, compat }
}
