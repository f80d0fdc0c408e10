import type { CheckSummary, Finding } from '../findings.js'
import type { ClusterSnapshot } from './types.js'

/** A cluster check: a pure function of the snapshot, so unit tests feed it fixtures. */
export interface CheckResult {
  findings: Finding[]
  summary: CheckSummary
}

export type ClusterCheck = (snapshot: ClusterSnapshot) => CheckResult

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
