/**
 * `audit local --scrub-history` once the audit has run: show what was found,
 * get a yes (or --yes), rewrite each history file, and tell the user what to
 * run so their open shells do not write the entries back. I/O is injected.
 */
import type { AuditReport } from '../findings.js'
import { renderJson, renderTable } from '../report.js'
import { type HistoryScan, RELOAD_COMMAND } from './history.js'
import { homeDisplay } from './run-local.js'
import { type ScrubResult, scrubHistory } from './scrub.js'

export interface ScrubFlowIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  confirm: (question: string) => Promise<boolean>
}

export type ScrubbedFile = ScrubResult & { shell: string; reload: string }

/** Prints the report (and the scrub, when asked) as a table or JSON. */
export async function printLocalAudit(
  report: AuditReport,
  histories: HistoryScan[],
  options: { scrub: boolean; yes: boolean; json: boolean; home: string },
  io: ScrubFlowIO,
): Promise<void> {
  if (!options.scrub) {
    io.stdout(options.json ? renderJson(report) : renderTable(report))
    return
  }
  const toScrub = histories.filter((h) => h.hits.length > 0)
  const total = toScrub.reduce((n, h) => n + h.hits.length, 0)
  if (total === 0) {
    if (options.json) io.stdout(renderJsonWithScrub(report, []))
    else io.stdout(`${renderTable(report)}\nNo history entry holds a Secret value: nothing to scrub.\n`)
    return
  }
  const display = homeDisplay(options.home)
  if (!options.json) io.stdout(renderTable(report))
  const files = toScrub.map((h) => display(h.file.path)).join(', ')
  const ok =
    options.yes ||
    (await io.confirm(`Remove ${total} ${entries(total)} holding Secret values from ${files}?`))
  if (!ok) {
    // As kubectl delete --interactive: a "no" is an answer, not an error.
    io.stderr('Nothing removed.\n')
    return
  }
  const scrubbed: ScrubbedFile[] = []
  for (const scan of toScrub) {
    const result = await scrubHistory(scan)
    scrubbed.push({
      ...result,
      path: display(scan.file.path),
      shell: scan.file.shell,
      reload: RELOAD_COMMAND[scan.file.shell],
    })
  }
  if (options.json) {
    io.stdout(renderJsonWithScrub(report, scrubbed))
    return
  }
  for (const s of scrubbed) {
    io.stdout(
      `\nRemoved ${s.removed} ${entries(s.removed)} from ${s.path}.\nIn every open ${s.shell} shell, run this so it does not write them back on exit:\n  ${s.reload}\n`,
    )
  }
  io.stdout('Rotate the values: they were readable in the history until now.\n')
}

function entries(n: number): string {
  return n === 1 ? 'entry' : 'entries'
}

function renderJsonWithScrub(report: AuditReport, scrubbed: object[]): string {
  const doc = JSON.parse(renderJson(report)) as Record<string, unknown>
  doc.scrubbed = scrubbed
  return `${JSON.stringify(doc, null, 2)}\n`
}
