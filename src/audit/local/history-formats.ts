/**
 * Reads bash, zsh and fish history files into entries (one command each, with
 * the lines it occupies), and writes a history back without some entries, byte
 * for byte otherwise. Files are handled as latin1 strings so that every byte
 * maps to one character: zsh's metafied bytes and invalid UTF-8 survive a rewrite.
 */

export type Shell = 'bash' | 'zsh' | 'fish'

export interface HistoryEntry {
  /** 0-based index of the entry's first line (its timestamp line, when it has one). */
  firstLine: number
  /** 0-based index of its last line, inclusive. */
  lastLine: number
  /** 0-based index of the line where the command starts: what `file:line` points at. */
  commandLine: number
  /** The command as the shell would run it, multi-line entries joined with `\n`. */
  command: string
}

export interface HistoryText {
  lines: string[]
  /** Whether the text ended with a newline (then `lines` has no trailing empty element). */
  finalNewline: boolean
}

export function splitLines(content: Buffer): HistoryText {
  const text = content.toString('latin1')
  const finalNewline = text.endsWith('\n')
  const lines = text.split('\n')
  if (finalNewline) lines.pop()
  if (lines.length === 1 && lines[0] === '') lines.pop()
  return { lines, finalNewline }
}

/** The file without the given entries: every other byte unchanged, in order. */
export function withoutEntries(text: HistoryText, remove: HistoryEntry[]): Buffer {
  const drop = new Set<number>()
  for (const e of remove) for (let i = e.firstLine; i <= e.lastLine; i++) drop.add(i)
  const kept = text.lines.filter((_, i) => !drop.has(i))
  const body = kept.join('\n')
  return Buffer.from(kept.length > 0 && text.finalNewline ? `${body}\n` : body, 'latin1')
}

const ZSH_EXTENDED = /^: \d+:\d+;/

function endsWithOddBackslash(line: string): boolean {
  const m = /\\+$/.exec(line)
  return m !== null && m[0].length % 2 === 1
}

/** The delimiter of a heredoc started on this line, if any: `cat <<EOF`, `<<-'END'`. */
function heredocWord(line: string): { word: string; tabs: boolean } | undefined {
  const m = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(line)
  return m ? { word: m[3] as string, tabs: m[1] === '-' } : undefined
}

/**
 * Groups plain lines into entries: a line ending with a backslash continues on
 * the next, and a heredoc runs to its delimiter line (bash writes a multi-line
 * command as several lines; without timestamps this is the best reading).
 */
function groupPlain(lines: string[], from: number, to: number, out: HistoryEntry[], prefix?: number): void {
  let i = from
  while (i < to) {
    const start = i
    const parts: string[] = [lines[i] as string]
    let heredoc = heredocWord(lines[i] as string)
    while (i + 1 < to && (endsWithOddBackslash(lines[i] as string) || heredoc)) {
      i++
      parts.push(lines[i] as string)
      if (heredoc) {
        const l = lines[i] as string
        if ((heredoc.tabs ? l.replace(/^\t+/, '') : l) === heredoc.word) heredoc = undefined
      }
    }
    out.push({
      firstLine: prefix !== undefined && start === from ? prefix : start,
      lastLine: i,
      commandLine: start,
      command: parts.join('\n'),
    })
    i++
  }
}

/**
 * bash: one command per line; with HISTTIMEFORMAT set, a `#1700000000` line
 * precedes each entry and delimits it (multi-line commands then span lines).
 */
export function parseBash(text: HistoryText): HistoryEntry[] {
  const { lines } = text
  const out: HistoryEntry[] = []
  const isStamp = (l: string) => /^#\d{9,}$/.test(l)
  if (!lines.some(isStamp)) {
    groupPlain(lines, 0, lines.length, out)
    return out.filter((e) => e.command.trim() !== '')
  }
  let i = 0
  // Lines before the first timestamp, if any, are plain entries.
  while (i < lines.length && !isStamp(lines[i] as string)) i++
  groupPlain(lines, 0, i, out)
  while (i < lines.length) {
    const stamp = i
    let end = i + 1
    while (end < lines.length && !isStamp(lines[end] as string)) end++
    if (end > stamp + 1) {
      out.push({
        firstLine: stamp,
        lastLine: end - 1,
        commandLine: stamp + 1,
        command: lines.slice(stamp + 1, end).join('\n'),
      })
    }
    i = end
  }
  return out.filter((e) => e.command.trim() !== '')
}

/**
 * zsh: plain (`cmd`) or extended (`: 1700000000:0;cmd`) lines; a newline inside
 * an entry is written as backslash-newline, so a line ending in a backslash
 * continues on the next (a typed `\` continuation then ends in two).
 */
export function parseZsh(text: HistoryText): HistoryEntry[] {
  const { lines } = text
  const out: HistoryEntry[] = []
  let i = 0
  while (i < lines.length) {
    const start = i
    const first = lines[i] as string
    const extended = ZSH_EXTENDED.exec(first)
    const parts = [extended ? first.slice(extended[0].length) : first]
    // zsh itself continues an entry on any line that ends with a backslash.
    while (i + 1 < lines.length && (lines[i] as string).endsWith('\\')) {
      // In extended files, a new `: ts:0;` line always starts a new entry.
      if (extended && ZSH_EXTENDED.test(lines[i + 1] as string)) break
      i++
      parts.push(lines[i] as string)
    }
    const joined = parts.map((p, n) => (n < parts.length - 1 ? p.slice(0, -1) : p)).join('\n')
    if (joined.trim() !== '') out.push({ firstLine: start, lastLine: i, commandLine: start, command: joined })
    i++
  }
  return out
}

/**
 * fish: a YAML-like list, `- cmd: ...` then indented `when:` and `paths:` lines.
 * In cmd, fish escapes newlines as `\n` and backslashes as `\\`.
 */
export function parseFish(text: HistoryText): HistoryEntry[] {
  const { lines } = text
  const out: HistoryEntry[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i] as string
    if (!line.startsWith('- cmd:')) {
      i++
      continue
    }
    const start = i
    i++
    while (i < lines.length && !(lines[i] as string).startsWith('- cmd:') && /^\s/.test(lines[i] as string))
      i++
    const raw = line.slice('- cmd:'.length).replace(/^ /, '')
    const command = raw.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'))
    out.push({ firstLine: start, lastLine: i - 1, commandLine: start, command })
  }
  return out
}

export function parseHistory(shell: Shell, text: HistoryText): HistoryEntry[] {
  switch (shell) {
    case 'bash':
      // HISTFILE may point at a zsh-style file: read it as what it is.
      return text.lines.some((l) => ZSH_EXTENDED.test(l)) ? parseZsh(text) : parseBash(text)
    case 'zsh':
      return parseZsh(text)
    case 'fish':
      return parseFish(text)
  }
}
