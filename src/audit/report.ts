import { type AuditReport, type CheckSummary, type Finding, SEVERITIES, sortFindings } from './findings.js'

/** Control characters (from file names or object names) must not reach the terminal. */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ')
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3)))
      .join('')
      .trimEnd()
  return `${[line(header), ...rows.map(line)].join('\n')}\n`
}

/** The findings table, then one status line per check, then counts: what a person reads. */
export function renderTable(report: AuditReport): string {
  const findings = sortFindings(report.findings)
  const parts: string[] = []
  if (findings.length === 0) {
    parts.push(`No findings (${report.scope}).\n`)
  } else {
    parts.push(
      table(
        ['CHECK', 'SEVERITY', 'WHERE', 'DETAIL', 'FIX'],
        findings.map((f) => [f.check, f.level, f.where, f.detail, f.fix].map(clean)),
      ),
    )
  }
  if (report.checks.length > 0) {
    parts.push(
      `\n${table(
        ['CHECK', 'STATUS', 'SIGNAL'],
        report.checks.map((c) => [c.check, c.status, signalText(c)].map(clean)),
      )}`,
    )
  }
  parts.push(`\n${countLine(report.findings)} (${report.scope})\n`)
  return parts.join('')
}

function signalText(c: CheckSummary): string {
  return [c.signal, c.note].filter(Boolean).join('; ')
}

export function countLine(findings: Finding[]): string {
  const counts = [...SEVERITIES, 'unknown' as const].map(
    (level) => `${findings.filter((f) => f.level === level).length} ${level}`,
  )
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${counts.join(', ')}`
}

/** `-o json`: stable field names, findings sorted as in the table. */
export function renderJson(report: AuditReport): string {
  return `${JSON.stringify(
    {
      apiVersion: 'safe-secret.audit/v1',
      kind: 'AuditReport',
      scope: report.scope,
      findings: sortFindings(report.findings).map((f) => ({
        check: f.check,
        severity: f.level,
        where: f.where,
        detail: f.detail,
        fix: f.fix,
      })),
      checks: report.checks,
    },
    null,
    2,
  )}\n`
}
