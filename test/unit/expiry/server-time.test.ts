import { describe, expect, it } from 'vitest'
import { pastGrace } from '../../../src/expiry/orphan-timers.js'
import { parseDeadline, resolveDeadline } from '../../../src/expiry/plan.js'
import { deadlineSeconds } from '../../../src/expiry/timer-job.js'
import { ServerClock } from '../../../src/kube/server-clock.js'

describe('ServerClock', () => {
  it('knows nothing before a response, then counts from the Date header on the monotonic clock', () => {
    const clock = new ServerClock()
    expect(clock.now()).toBeUndefined()
    clock.observe('Wed, 02 Dec 2026 07:00:00 GMT')
    const now = clock.now() as Date
    expect(now.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-12-02T07:00:00Z'))
    expect(now.getTime()).toBeLessThan(Date.parse('2026-12-02T07:00:01Z'))
  })

  it('ignores a missing or malformed header, and never moves back', () => {
    const clock = new ServerClock()
    clock.observe(undefined)
    clock.observe('not a date')
    expect(clock.known).toBe(false)
    clock.observe('Wed, 02 Dec 2026 07:00:05 GMT')
    clock.observe('Wed, 02 Dec 2026 07:00:03 GMT')
    expect((clock.now() as Date).getTime()).toBeGreaterThanOrEqual(Date.parse('2026-12-02T07:00:05Z'))
  })
})

describe('deadlines on the server clock', () => {
  const server = new Date('2026-12-02T07:00:00.400Z')

  it('a ttl counts from the server now, rounded up; the deadline covers it from that now', () => {
    const request = parseDeadline({ ttl: '60s' })
    expect(request).toMatchObject({ kind: 'ttl', ms: 60_000 })
    const at = resolveDeadline(request as NonNullable<typeof request>, server)
    expect(at.toISOString()).toBe('2026-12-02T07:01:01.000Z')
    // The Job's deadline, counted from a start no earlier than `server`, never ends before expires-at.
    expect(server.getTime() + deadlineSeconds(at, server) * 1000).toBeGreaterThanOrEqual(at.getTime())
  })

  it('an absolute time is judged against the server now, not parsed against any clock', () => {
    const request = parseDeadline({ 'expires-at': '2026-12-02T07:00:00Z' })
    expect(request?.kind).toBe('at')
    expect(() => resolveDeadline(request as NonNullable<typeof request>, server)).toThrow(
      /in the past \(the API server's time is 2026-12-02T07:00:00Z\)/,
    )
    const later = parseDeadline({ 'expires-at': '2026-12-02T07:05:00Z' })
    expect(resolveDeadline(later as NonNullable<typeof later>, server).toISOString()).toBe(
      '2026-12-02T07:05:00.000Z',
    )
  })

  it('parsing alone already refuses what is wrong at any time', () => {
    expect(() => parseDeadline({ ttl: '400d' })).toThrow(/longer than the maximum/)
    expect(() => parseDeadline({ 'expires-at': 'tomorrow' })).toThrow(/RFC 3339/)
  })
})

describe('pastGrace', () => {
  const now = new Date('2026-12-02T07:10:00Z')
  it('judges only timers older than the grace, and never one being deleted', () => {
    expect(pastGrace({ creationTimestamp: '2026-12-02T07:07:00Z' }, now, 120_000)).toBe(true)
    expect(pastGrace({ creationTimestamp: '2026-12-02T07:09:00Z' }, now, 120_000)).toBe(false)
    expect(
      pastGrace(
        { creationTimestamp: '2026-12-02T07:00:00Z', deletionTimestamp: '2026-12-02T07:09:59Z' },
        now,
        1,
      ),
    ).toBe(false)
    expect(pastGrace({}, now, 1)).toBe(false)
  })
})
