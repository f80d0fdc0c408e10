/**
 * `audit local`: Secret manifests under a path, and Secret values in shell
 * history. Pure of terminal I/O: the command prints the report and asks for
 * confirmation before a scrub.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { type AuditReport, type CheckSummary, type Finding, statusOf } from '../findings.js'
import { type HistoryScan, historyFiles, historyFindings, scanHistories } from './history.js'
import { isKustomization, scanManifestText } from './manifests.js'
import { MAX_MANIFEST_BYTES, manifestFiles } from './repo-files.js'

export interface LocalAuditOptions {
  root: string
  cwd: string
  home: string
  env: NodeJS.ProcessEnv
  /** Skip shell history (e.g. in CI, where only the repository matters). */
  skipHistory?: boolean
}

export interface LocalAudit {
  report: AuditReport
  histories: HistoryScan[]
}

/** Repository files: relative to the working directory when inside it, else under ~ or absolute. */
export function displayPathFor(cwd: string, home: string) {
  const homeForm = homeDisplay(home)
  return (p: string): string => {
    const rel = path.relative(cwd, p)
    if (rel === '') return '.'
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel
    return homeForm(p)
  }
}

/** History files: always under ~ when they are in the home directory, as users know them. */
export function homeDisplay(home: string) {
  return (p: string): string =>
    home && (p === home || p.startsWith(home.endsWith(path.sep) ? home : home + path.sep))
      ? `~${p.slice(home.length)}`
      : p
}

export async function runLocalAudit(opts: LocalAuditOptions): Promise<LocalAudit> {
  const display = displayPathFor(opts.cwd, opts.home)
  const root = path.resolve(opts.cwd, opts.root)
  const findings: Finding[] = []
  const checks: CheckSummary[] = []

  const files = await manifestFiles(root)
  const manifestFindings: Finding[] = []
  let skipped = 0
  for (const file of files) {
    let text: string
    try {
      const buf = await readFile(file)
      if (buf.length > MAX_MANIFEST_BYTES) {
        skipped++
        continue
      }
      text = buf.toString('utf8')
    } catch {
      skipped++
      continue
    }
    manifestFindings.push(...scanManifestText(text, display(file), isKustomization(file)))
  }
  findings.push(...manifestFindings)
  checks.push({
    check: 'secret-manifest-in-repo',
    status: statusOf(manifestFindings),
    signal: `${files.length} YAML/JSON file${files.length === 1 ? '' : 's'} under ${display(root)} (.gitignore respected)`,
    ...(skipped > 0
      ? { note: `${skipped} unreadable or over ${MAX_MANIFEST_BYTES} bytes, not scanned` }
      : {}),
  })

  let histories: HistoryScan[] = []
  if (!opts.skipHistory) {
    histories = await scanHistories(historyFiles(opts.env, opts.home))
    const hf = historyFindings(histories, homeDisplay(opts.home))
    findings.push(...hf)
    checks.push({
      check: 'secret-in-shell-history',
      status: statusOf(hf),
      signal:
        histories.length > 0
          ? histories.map((h) => `${h.file.shell} ${homeDisplay(opts.home)(h.file.path)}`).join(', ')
          : 'no bash, zsh or fish history file found',
    })
  }
  return { report: { scope: `local: ${display(root)}`, findings, checks }, histories }
}
