/**
 * The audit's output model. A check yields findings (something to fix, with a
 * severity), or an "unknown" finding when it could not run: an unknown is never
 * a pass. Every check also reports one status line, so that a reader sees what
 * was checked and which signal gave the answer, not only what failed.
 *
 * Nothing here may ever hold a secret value: only names, key names, sizes and
 * locations.
 */

export const SEVERITIES = ['high', 'medium', 'low', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

/** What a finding row shows in SEVERITY: a severity, or `unknown` for a check that could not run. */
export type FindingLevel = Severity | 'unknown'

export interface Finding {
  /** Stable check id, e.g. `encryption-at-rest`, `secret-in-shell-history`. */
  check: string
  level: FindingLevel
  /** namespace/kind/name, `cluster`, or file:line. */
  where: string
  /** One line: what is wrong (or, for unknown, why the check could not run). */
  detail: string
  /** One line: how to fix it (or, for unknown, how to check by hand). */
  fix: string
}

export type CheckStatus = 'pass' | 'fail' | 'unknown' | 'info'

/** One line per check that ran (or tried to): what it concluded and from which signal. */
export interface CheckSummary {
  check: string
  status: CheckStatus
  /** What gave the answer, e.g. `/metrics apiserver_storage_transformation_operations_total`. */
  signal?: string
  note?: string
}

/** What one check yields: its findings and its status line. */
export interface CheckResult {
  findings: Finding[]
  summary: CheckSummary
}

export function unknownFinding(check: string, where: string, reason: string, howToCheck: string): Finding {
  return {
    check,
    level: 'unknown',
    where,
    detail: `could not check: ${reason}`,
    fix: `check by hand: ${howToCheck}`,
  }
}

/** A check that could not run at all: one unknown finding, and an unknown status with the reason. */
export function unknownResult(check: string, where: string, reason: string, howToCheck: string): CheckResult {
  return {
    findings: [unknownFinding(check, where, reason, howToCheck)],
    summary: { check, status: 'unknown', note: reason },
  }
}

export interface AuditReport {
  scope: string
  findings: Finding[]
  checks: CheckSummary[]
}

const RANK: Record<FindingLevel, number> = { high: 4, medium: 3, low: 2, info: 1, unknown: 0 }

/** Findings ordered for reading: most severe first, unknowns last, then by check and location. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      RANK[b.level] - RANK[a.level] ||
      a.check.localeCompare(b.check) ||
      a.where.localeCompare(b.where, undefined, { numeric: true }),
  )
}

/** The status of a check, derived from its findings when the check does not say more. */
export function statusOf(findings: Finding[]): CheckStatus {
  if (findings.some((f) => f.level === 'unknown')) return 'unknown'
  if (findings.some((f) => f.level === 'high' || f.level === 'medium' || f.level === 'low')) return 'fail'
  if (findings.length > 0) return 'info'
  return 'pass'
}

export type FailOn = 'low' | 'medium' | 'high'

/** Exit code when findings reach --fail-on: distinct from 1 (an error) so CI can tell them apart. */
export const FINDINGS_EXIT_CODE = 3

/**
 * The process exit code for CI: 0, or FINDINGS_EXIT_CODE when a finding is at
 * or above --fail-on, or when --fail-on-unknown is set and a check could not run.
 */
export function exitCodeFor(report: AuditReport, failOn?: FailOn, failOnUnknown = false): number {
  if (failOnUnknown && report.findings.some((f) => f.level === 'unknown')) return FINDINGS_EXIT_CODE
  if (!failOn) return 0
  const threshold = RANK[failOn]
  return report.findings.some((f) => f.level !== 'unknown' && RANK[f.level] >= threshold)
    ? FINDINGS_EXIT_CODE
    : 0
}

/** A human size, as kubectl describe shows data sizes: `12 bytes`. */
export function bytes(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`
}
