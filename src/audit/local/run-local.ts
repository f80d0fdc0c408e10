/**
 * `audit local`: Secret manifests under a path, and Secret values in shell
 * history. Pure of terminal I/O: the command prints the report and asks for
 * confirmation before a scrub.
 */
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseEnv } from 'dotenv'
import {
  type AuditReport,
  bytes,
  type CheckSummary,
  type Finding,
  statusOf,
  unknownFinding,
} from '../findings.js'
import { CHECK as GIT_HISTORY_CHECK, scanGitHistory } from './git-history.js'
import {
  type HistoryScan,
  historyFiles,
  historyFindings,
  scanHistories,
  type UnreadableHistory,
} from './history.js'
import { readKubectlAliases } from './kubectl-aliases.js'
import { type GeneratorFileRef, isKustomization, scanManifestText } from './manifests.js'
import { isManifestFile, MAX_MANIFEST_BYTES, repoFiles } from './repo-files.js'

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

  const repo = await repoFiles(root)
  const committed = new Set(repo.files)
  const files = repo.files.filter(isManifestFile)
  const manifestFindings: Finding[] = []
  let skipped = repo.unreadable.length
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
    const scan = scanManifestText(text, display(file), isKustomization(file))
    manifestFindings.push(
      ...scan.findings,
      ...(await generatorFileFindings(scan.generatorFiles, file, committed, display)),
    )
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

  const history = await scanGitHistory(root)
  findings.push(...history.findings)
  checks.push({
    check: GIT_HISTORY_CHECK,
    status: statusOf(history.findings),
    signal: history.signal,
  })

  let histories: HistoryScan[] = []
  if (!opts.skipHistory) {
    const unreadable: UnreadableHistory[] = []
    const aliases = await readKubectlAliases(opts.env, opts.home)
    histories = await scanHistories(historyFiles(opts.env, opts.home), unreadable, aliases)
    const hf = historyFindings(histories, homeDisplay(opts.home))
    for (const u of unreadable) {
      hf.push(
        unknownFinding(
          'secret-in-shell-history',
          homeDisplay(opts.home)(u.file.path),
          `cannot read the ${u.file.shell} history (${u.reason})`,
          "as the owner of the file, run 'kubectl safe-secret audit local'",
        ),
      )
    }
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

/**
 * secretGenerator `files`/`envs` that name a file committed in the repository
 * (not ignored): the values are in git. Reports the key names and the size;
 * env files are parsed for their key names only.
 */
async function generatorFileFindings(
  refs: GeneratorFileRef[],
  kustomization: string,
  committed: Set<string>,
  display: (p: string) => string,
): Promise<Finding[]> {
  const out: Finding[] = []
  for (const ref of refs) {
    const abs = path.resolve(path.dirname(kustomization), ref.file)
    if (!committed.has(abs)) continue
    let keys: string[]
    let size: number
    try {
      size = (await stat(abs)).size
      keys = ref.source === 'envs' ? Object.keys(parseEnv(await readFile(abs))) : [ref.key ?? '']
    } catch {
      continue
    }
    if (keys.length === 0) continue
    out.push({
      check: 'secret-manifest-in-repo',
      level: 'high',
      where: `${display(kustomization)}:${ref.line}`,
      detail: `kustomize secretGenerator ${ref.generator} reads ${display(abs)} (${bytes(size)}; keys: ${keys.join(', ')}), which is committed: not in .gitignore`,
      fix: 'add the file to .gitignore and remove it from git history (or generate it from a secret store at build time), and rotate the values',
    })
  }
  return out
}
