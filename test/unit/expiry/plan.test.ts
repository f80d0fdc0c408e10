import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../src/errors/cli-error.js'
import {
  EXPIRES_AT_ANNOTATION,
  EXPIRY_MODE_ANNOTATION,
  expiryMetadata,
  expiryOf,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from '../../../src/expiry/metadata.js'
import { parseCompat, planExpiry } from '../../../src/expiry/plan.js'

const now = new Date('2026-11-26T12:00:00.250Z')

function usageError(fn: () => unknown): UsageError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError)
    return err as UsageError
  }
  throw new Error('expected a UsageError')
}

describe('planExpiry', () => {
  it('is undefined when no expiry is asked for', () => {
    expect(planExpiry({}, now)).toBeUndefined()
    expect(planExpiry({ 'max-ttl': '365d', compat: [] }, now)).toBeUndefined()
  })

  it('turns --ttl into a deadline rounded up to the second, mode job by default', () => {
    const plan = planExpiry({ ttl: '8h' }, now)
    expect(plan).toEqual({ expiresAt: new Date('2026-11-26T20:00:01Z'), mode: 'job', compat: [] })
  })

  it('accepts kube-janitor durations and compound ones', () => {
    expect(planExpiry({ ttl: '90s' }, now)?.expiresAt.toISOString()).toBe('2026-11-26T12:01:31.000Z')
    expect(planExpiry({ ttl: '1h30m' }, now)?.expiresAt.toISOString()).toBe('2026-11-26T13:30:01.000Z')
    expect(planExpiry({ ttl: '2w' }, now)?.expiresAt.toISOString()).toBe('2026-12-10T12:00:01.000Z')
  })

  it('takes --expires-at in RFC 3339 with any offset', () => {
    const plan = planExpiry({ 'expires-at': '2026-11-27T13:00:00+01:00', 'expiry-mode': 'annotation' }, now)
    expect(plan?.expiresAt.toISOString()).toBe('2026-11-27T12:00:00.000Z')
    expect(plan?.mode).toBe('annotation')
  })

  it.each([
    [{ ttl: '0s' }, /greater than zero/],
    [{ ttl: '0' }, /duration/],
    [{ ttl: '-5m' }, /positive/],
    [{ ttl: 'soon' }, /^invalid --ttl: use a duration/],
    [{ ttl: '5' }, /duration/],
    [{ ttl: '10x' }, /duration/],
    [{ ttl: '500ms' }, /1s/],
    [{ ttl: '366d' }, /maximum of 366d|longer than the maximum/],
    [{ ttl: '2h', 'max-ttl': '1h' }, /longer than the maximum of 1h/],
    [{ ttl: '1h', 'max-ttl': 'lots' }, /invalid --max-ttl/],
    [{ 'expires-at': '2026-11-26T11:59:00Z' }, /in the past/],
    [{ 'expires-at': '2026-11-26T12:00:00Z' }, /in the past/],
    [{ 'expires-at': '2027-12-01T00:00:00Z' }, /more than 365d away/],
    [{ 'expires-at': 'tomorrow' }, /RFC 3339/],
    [{ 'expires-at': '2026-12-01T18:00:00' }, /RFC 3339/],
    [{ 'expires-at': '2026-02-30T18:00:00Z' }, /RFC 3339/],
    [{ ttl: '1h', 'expires-at': '2026-12-01T18:00:00Z' }, /cannot be used together/],
    [{ 'expiry-mode': 'job' }, /--expiry-mode needs --ttl or --expires-at/],
    [{ compat: ['janitor'] }, /--compat needs --ttl or --expires-at/],
    [{ ttl: '1h', compat: ['janitor,cron'] }, /invalid --compat "cron"/],
    [{ ttl: '1h', 'expiry-mode': 'cronjob' }, /invalid --expiry-mode/],
  ])('rejects %o', (flags, message) => {
    expect(usageError(() => planExpiry(flags, now)).message).toMatch(message)
  })

  it('lets --max-ttl raise the limit', () => {
    expect(planExpiry({ ttl: '400d', 'max-ttl': '500d' }, now)?.expiresAt.toISOString()).toBe(
      '2027-12-31T12:00:01.000Z',
    )
  })
})

describe('parseCompat', () => {
  it('accepts comma-separated and repeated values, once each', () => {
    expect(parseCompat(['janitor,kyverno'])).toEqual(['janitor', 'kyverno'])
    expect(parseCompat(['kyverno', 'janitor', 'kyverno'])).toEqual(['kyverno', 'janitor'])
    expect(parseCompat(undefined)).toEqual([])
  })
})

describe('expiryMetadata', () => {
  it('always carries the managed-by label', () => {
    expect(expiryMetadata(undefined)).toEqual({
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      annotations: {},
    })
  })

  it('records the deadline and the mode, and reads back the same', () => {
    const plan = planExpiry({ ttl: '30m', 'expiry-mode': 'annotation' }, now)
    const meta = expiryMetadata(plan)
    expect(meta.annotations[EXPIRES_AT_ANNOTATION]).toBe('2026-11-26T12:30:01Z')
    expect(meta.annotations[EXPIRY_MODE_ANNOTATION]).toBe('annotation')
    expect(expiryOf(meta)).toEqual({ expiresAt: plan?.expiresAt, mode: 'annotation' })
  })
})
