/**
 * The --compat values must parse with the rules of the projects that read
 * them. These are faithful ports of their parsers (see docs/dev-notes/expiry.md
 * for the sources): kube-janitor's helper.parse_expiry, and Kyverno's
 * pkg/controllers/ttl parseDeletionTime, which tries kube-openapi's
 * strfmt.ParseDuration first and only then the time layouts.
 */
import { describe, expect, it } from 'vitest'
import {
  expiryMetadata,
  JANITOR_EXPIRES_ANNOTATION,
  KYVERNO_TTL_LABEL,
} from '../../../src/expiry/metadata.js'
import { planExpiry } from '../../../src/expiry/plan.js'
import { formatJanitorExpires, formatKyvernoTtl } from '../../../src/time/instant.js'

// kube_janitor/helper.py: DATETIME_PATTERNS = ['%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M', '%Y-%m-%d'],
// datetime.strptime(expiry, pattern), compared with utcnow(): naive UTC.
const num = (m: RegExpExecArray, i: number): number => Number(m[i])

const JANITOR_PATTERNS: [RegExp, (m: RegExpExecArray) => number][] = [
  [
    /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})Z$/,
    (m) => Date.UTC(num(m, 1), num(m, 2) - 1, num(m, 3), num(m, 4), num(m, 5), num(m, 6)),
  ],
  [
    /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2})$/,
    (m) => Date.UTC(num(m, 1), num(m, 2) - 1, num(m, 3), num(m, 4), num(m, 5)),
  ],
  [/^(\d{4})-(\d{1,2})-(\d{1,2})$/, (m) => Date.UTC(num(m, 1), num(m, 2) - 1, num(m, 3))],
]
function janitorParseExpiry(value: string): number {
  for (const [re, toMs] of JANITOR_PATTERNS) {
    const m = re.exec(value)
    if (m) return toMs(m)
  }
  throw new Error(`expiry value "${value}" does not match format`)
}

// k8s.io/kube-openapi/pkg/validation/strfmt ParseDuration: Go's time.ParseDuration,
// then an UNANCHORED scan for ((\d+)\s*([A-Za-zµ]+)) whose unit is a known one.
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$|^0$/
const STRFMT_UNITS = [
  ['ns', 'nano'],
  ['us', 'µs', 'micro'],
  ['ms', 'milli'],
  ['s', 'sec'],
  ['m', 'min'],
  ['h', 'hr', 'hour'],
  ['d', 'day'],
  ['w', 'wk', 'week'],
]
function strfmtIsDuration(cand: string): boolean {
  if (GO_DURATION.test(cand)) return true
  for (const match of cand.matchAll(/((\d+)\s*([A-Za-zµ]+))/g)) {
    const unit = (match[3] ?? '').trim().toLowerCase()
    for (const variants of STRFMT_UNITS) {
      const last = variants.length - 1
      if (variants.some((v, i) => (i === last && unit.startsWith(v)) || v === unit)) return true
    }
  }
  return false
}
// kyverno.ValueTtlDateTimeLayout = "2006-01-02T150405Z", ValueTtlDateLayout = "2006-01-02" (Go: UTC).
function kyvernoParseDeletionTime(value: string, created: number): number {
  if (strfmtIsDuration(value)) throw new Error('parsed as a duration, not as a time')
  let m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (m) return Date.UTC(num(m, 1), num(m, 2) - 1, num(m, 3), num(m, 4), num(m, 5), num(m, 6))
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (m) return Date.UTC(num(m, 1), num(m, 2) - 1, num(m, 3))
  void created
  throw new Error(`cannot parse ${value}`)
}
// Label values: at most 63 characters, alphanumerics, '-', '_', '.', alphanumeric at both ends.
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

const samples = [
  new Date('2026-11-26T23:50:07Z'),
  new Date('2027-01-01T00:00:00Z'),
  new Date('2026-02-28T09:05:59Z'),
  new Date('2030-12-31T23:59:59Z'),
]

describe('kube-janitor janitor/expires', () => {
  it.each(samples)('formats %s so that parse_expiry reads the same second', (date) => {
    const text = formatJanitorExpires(date)
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    expect(janitorParseExpiry(text)).toBe(date.getTime())
  })
})

describe('Kyverno cleanup.kyverno.io/ttl', () => {
  it.each(samples)('formats %s as a label value that parseDeletionTime reads as that time', (date) => {
    const text = formatKyvernoTtl(date)
    expect(text).toMatch(LABEL_VALUE)
    expect(text.length).toBeLessThanOrEqual(63)
    expect(text).not.toContain(':')
    expect(strfmtIsDuration(text)).toBe(false)
    expect(kyvernoParseDeletionTime(text, 0)).toBe(date.getTime())
  })

  it('the port of strfmt.ParseDuration accepts the durations Kyverno documents', () => {
    expect(strfmtIsDuration('2m')).toBe(true)
    expect(strfmtIsDuration('1h30m')).toBe(true)
    expect(strfmtIsDuration('3d')).toBe(true)
    expect(strfmtIsDuration('2023-07-19T120000Z')).toBe(false)
  })
})

describe('--compat on a plan', () => {
  const now = new Date('2026-11-26T23:00:00.400Z')
  it('writes both formats for janitor,kyverno, at the same second as our own annotation', () => {
    const plan = planExpiry({ ttl: '1h', compat: ['janitor,kyverno'] }, now)
    const meta = expiryMetadata(plan)
    expect(meta.annotations[JANITOR_EXPIRES_ANNOTATION]).toBe('2026-11-27T00:00:01Z')
    expect(meta.labels[KYVERNO_TTL_LABEL]).toBe('2026-11-27T000001Z')
    expect(janitorParseExpiry(String(meta.annotations[JANITOR_EXPIRES_ANNOTATION]))).toBe(
      plan?.expiresAt.getTime(),
    )
    expect(kyvernoParseDeletionTime(String(meta.labels[KYVERNO_TTL_LABEL]), 0)).toBe(
      plan?.expiresAt.getTime(),
    )
  })

  it('writes nothing of the other projects without --compat', () => {
    const meta = expiryMetadata(planExpiry({ ttl: '1h' }, now))
    expect(meta.annotations[JANITOR_EXPIRES_ANNOTATION]).toBeUndefined()
    expect(meta.labels[KYVERNO_TTL_LABEL]).toBeUndefined()
  })
})
