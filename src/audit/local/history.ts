/**
 * Shell history: where each shell keeps it, and which entries hold a Secret
 * value. Reports file:line and the flag and key names, never the line itself.
 */
import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import type { Finding } from '../findings.js'
import {
  type HistoryEntry,
  type HistoryText,
  parseHistory,
  type Shell,
  splitLines,
} from './history-formats.js'
import { type HistoryMatch, matchSecretCommand } from './history-rules.js'
import { DEFAULT_ALIASES, type KubectlAliases } from './kubectl-aliases.js'

export interface HistoryFileRef {
  shell: Shell
  path: string
}

/** The history files each shell writes by default, in the order we report them. */
export function historyFiles(env: NodeJS.ProcessEnv, home: string): HistoryFileRef[] {
  const files: HistoryFileRef[] = []
  // HISTFILE names the bash history when set; the default file may still hold older entries.
  if (env.HISTFILE) files.push({ shell: 'bash', path: env.HISTFILE })
  files.push({ shell: 'bash', path: path.join(home, '.bash_history') })
  const zdot = env.ZDOTDIR || home
  files.push({ shell: 'zsh', path: path.join(zdot, '.zsh_history') })
  if (zdot !== home) files.push({ shell: 'zsh', path: path.join(home, '.zsh_history') })
  files.push({ shell: 'zsh', path: path.join(home, '.histfile') })
  const dataHome = env.XDG_DATA_HOME || path.join(home, '.local', 'share')
  files.push({ shell: 'fish', path: path.join(dataHome, 'fish', 'fish_history') })
  return files
}

export interface HistoryScan {
  file: HistoryFileRef
  /** The file the path resolves to (a history file may be a symlink): what a scrub rewrites. */
  realPath: string
  text: HistoryText
  hits: { entry: HistoryEntry; matches: HistoryMatch[] }[]
  /** The names that meant kubectl for this scan: a scrub scans again with the same. */
  aliases: KubectlAliases
}

export function scanHistoryText(
  file: HistoryFileRef,
  realPath: string,
  content: Buffer,
  aliases: KubectlAliases = DEFAULT_ALIASES,
): HistoryScan {
  const text = splitLines(content)
  const hits = parseHistory(file.shell, text)
    .map((entry) => ({ entry, matches: matchSecretCommand(entry.command, aliases) }))
    .filter((h) => h.matches.length > 0)
  return { file, realPath, text, hits, aliases }
}

export interface UnreadableHistory {
  file: HistoryFileRef
  reason: string
}

/**
 * Reads every history file that exists (once each, following symlinks). A file
 * that exists but cannot be read is returned apart: its check is unknown.
 */
export async function scanHistories(
  refs: HistoryFileRef[],
  unreadable: UnreadableHistory[] = [],
  aliases: KubectlAliases = DEFAULT_ALIASES,
): Promise<HistoryScan[]> {
  const seen = new Set<string>()
  const scans: HistoryScan[] = []
  for (const ref of refs) {
    let real: string
    let content: Buffer
    try {
      real = await realpath(ref.path)
      if (seen.has(real)) continue
      content = await readFile(real)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') continue
      unreadable.push({ file: ref, reason: code ?? (err as Error).message })
      continue
    }
    seen.add(real)
    scans.push(scanHistoryText(ref, real, content, aliases))
  }
  return scans
}

export const RELOAD_COMMAND: Record<Shell, string> = {
  bash: 'history -c; history -r',
  zsh: 'fc -R',
  fish: 'history merge',
}

function describe(m: HistoryMatch): string {
  return m.keys.length > 0 ? `${m.flag} (keys: ${m.keys.join(', ')})` : m.flag
}

export function historyFindings(scans: HistoryScan[], displayPath: (p: string) => string): Finding[] {
  return scans.flatMap((scan) =>
    scan.hits.map(({ entry, matches }) => ({
      check: 'secret-in-shell-history',
      level: 'high' as const,
      where: `${displayPath(scan.file.path)}:${entry.commandLine + 1}`,
      detail: `${scan.file.shell} history holds a Secret value typed on the command line: ${matches.map(describe).join(', ')}`,
      fix: "rotate the value, run 'kubectl safe-secret audit local --scrub-history', and create Secrets with 'kubectl safe-secret create'",
    })),
  )
}
