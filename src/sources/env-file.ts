import { isUtf8 } from 'node:buffer'
import { UsageError } from '../errors/cli-error.js'

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/
const KEY_HINT = "keys may contain letters, digits, '-', '_' and '.', and may not start with a digit"

export interface EnvFileEntry {
  key: string
  /** Set when the line had a value; unset when the line is a bare KEY (value from the environment). */
  value?: Buffer
  line: number
}

/**
 * The two `KEY=VALUE` sources read one grammar (README, "Env lines and JSON"), so that
 * a line is either read the same way by both or refused with its line number:
 *
 * - `env-file` is kubectl's --from-env-file (k8s.io/kubectl/pkg/cmd/util/env_file.go),
 *   except that a value starting with a quote is refused: kubectl keeps the
 *   quote as part of the value, `--stdin-format=env` removes it.
 * - `stdin-env` (--stdin-format=env) is the same line format, plus `export`,
 *   quoted values (which may span lines), and a `#` comment after a closing
 *   quote. An unquoted value that dotenv-style readers would read differently
 *   from kubectl (surrounding whitespace, ` #`, a carriage return) is refused.
 *
 * Values are copies of the input's bytes; nothing is decoded and re-encoded.
 * Errors name the line (and a duplicated key), never a value.
 */
type Dialect = 'env-file' | 'stdin-env'

/** kubectl's --from-env-file format, where `path` names the file in errors. */
export function parseEnvFile(content: Buffer, path: string): EnvFileEntry[] {
  return parseEnvLines(content, 'env-file', (line) => `env file ${path} line ${line}`)
}

/** `--stdin-format=env`: every entry has a value. */
export function parseStdinEnv(content: Buffer): { key: string; value: Buffer; line: number }[] {
  return parseEnvLines(content, 'stdin-env', (line) => `--stdin-format=env: line ${line}`).map((e) => ({
    key: e.key,
    // This dialect refuses a bare KEY: every entry has a value.
    value: e.value as Buffer,
    line: e.line,
  }))
}

interface Line {
  /** The line without its ending (LF, or CR LF as bufio.ScanLines drops it). */
  bytes: Buffer
  /** The ending as it is in the input (empty on a last line without one). */
  ending: Buffer
  no: number
}

function parseEnvLines(content: Buffer, dialect: Dialect, at: (line: number) => string): EnvFileEntry[] {
  const lines = splitLines(content)
  const entries: EnvFileEntry[] = []
  const seen = new Map<string, number>()
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line
    // As kubectl: the whole line is checked, comments included.
    if (!isUtf8(line.bytes)) throw new UsageError(`${at(line.no)}: not valid UTF-8`)
    let rest = line.bytes
    if (line.no === 1 && rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf) rest = rest.subarray(3)
    rest = rest.subarray(leadingSpaceLength(rest))
    if (rest.length === 0 || rest[0] === HASH) continue
    if (dialect === 'stdin-env') rest = withoutExport(rest)
    const eq = rest.indexOf(EQUALS)
    const key = rest.subarray(0, eq < 0 ? rest.length : eq).toString('utf8')
    // The key is not quoted: a line without `=` may be a pasted value.
    if (!ENV_VAR_NAME.test(key)) {
      throw new UsageError(`${at(line.no)}: the key is not a valid environment variable name`, {
        hint: KEY_HINT,
      })
    }
    const first = seen.get(key)
    if (first !== undefined) {
      throw new UsageError(`${at(line.no)}: the key "${key}" is given twice (first on line ${first})`)
    }
    seen.set(key, line.no)
    if (eq < 0) {
      if (dialect === 'stdin-env') {
        throw new UsageError(`${at(line.no)}: KEY=VALUE expected, the line has no '='`, {
          hint: 'a bare KEY, which takes its value from the environment, works only in --from-env-file',
        })
      }
      entries.push({ key, line: line.no })
      continue
    }
    const raw = rest.subarray(eq + 1)
    if (!isQuote(raw[0])) {
      if (dialect === 'stdin-env') checkUnquoted(raw, at(line.no))
      entries.push({ key, value: Buffer.from(raw), line: line.no })
      continue
    }
    if (dialect === 'env-file') {
      throw new UsageError(`${at(line.no)}: the value starts with a quote`, {
        hint: 'kubectl would keep the quotes as part of the value, --stdin-format=env would remove them: write the value without quotes (it runs verbatim to the end of the line), or use --from-file or --stdin-format=env for it',
      })
    }
    const quoted = readQuoted(raw, lines, i, at)
    entries.push({ key, value: quoted.value, line: line.no })
    i = quoted.lastLine
  }
  return entries
}

const LF = 0x0a
const CR = 0x0d
const HASH = 0x23
const EQUALS = 0x3d
const BACKSLASH = 0x5c
const DOUBLE_QUOTE = 0x22

function splitLines(content: Buffer): Line[] {
  const lines: Line[] = []
  let start = 0
  for (let no = 1; start < content.length; no++) {
    const lf = content.indexOf(LF, start)
    const end = lf < 0 ? content.length : lf
    const crlf = end > start && content[end - 1] === CR
    const bytesEnd = crlf ? end - 1 : end
    const next = lf < 0 ? content.length : lf + 1
    lines.push({ bytes: content.subarray(start, bytesEnd), ending: content.subarray(bytesEnd, next), no })
    start = next
  }
  return lines
}

/** Go's unicode.IsSpace, which kubectl trims from the start of a line, on UTF-8 bytes. */
function spaceLength(b: Buffer, i: number): number {
  const c = b[i]
  if (c === 0x20 || (c !== undefined && c >= 0x09 && c <= 0x0d)) return 1
  const c1 = b[i + 1]
  const c2 = b[i + 2]
  if (c === 0xc2 && (c1 === 0x85 || c1 === 0xa0)) return 2 // NEL, NO-BREAK SPACE
  if (c === 0xe1 && c1 === 0x9a && c2 === 0x80) return 3 // U+1680
  if (c === 0xe2 && c1 === 0x80 && c2 !== undefined) {
    // U+2000..U+200A, U+2028, U+2029, U+202F
    if ((c2 >= 0x80 && c2 <= 0x8a) || c2 === 0xa8 || c2 === 0xa9 || c2 === 0xaf) return 3
  }
  if (c === 0xe2 && c1 === 0x81 && c2 === 0x9f) return 3 // U+205F
  if (c === 0xe3 && c1 === 0x80 && c2 === 0x80) return 3 // U+3000
  return 0
}

function leadingSpaceLength(b: Buffer): number {
  let i = 0
  for (let n = spaceLength(b, i); n > 0; n = spaceLength(b, i)) i += n
  return i
}

function isBlank(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09
}

function isQuote(c: number | undefined): boolean {
  return c === DOUBLE_QUOTE || c === 0x27 /* ' */ || c === 0x60 /* ` */
}

/** `export KEY=...`, as shells and dotenv write it. */
function withoutExport(rest: Buffer): Buffer {
  if (!rest.subarray(0, 6).equals(Buffer.from('export')) || !isBlank(rest[6])) return rest
  let i = 6
  while (isBlank(rest[i])) i++
  return rest.subarray(i)
}

/**
 * An unquoted value is every byte after `=`, as kubectl reads it. dotenv-style
 * readers trim it and cut it at a comment, so the values they would read
 * differently are refused rather than guessed.
 */
function checkUnquoted(raw: Buffer, where: string): void {
  const quoteHint = "quote the value to keep it exactly: '...' keeps every byte"
  if (isBlank(raw[0]) || isBlank(raw[raw.length - 1])) {
    throw new UsageError(`${where}: the unquoted value starts or ends with whitespace`, {
      hint: `dotenv would drop it and kubectl would keep it: ${quoteHint}`,
    })
  }
  for (let i = 1; i < raw.length; i++) {
    if (raw[i] === HASH && isBlank(raw[i - 1])) {
      throw new UsageError(`${where}: the unquoted value holds ' #'`, {
        hint: `dotenv-style readers take ' #' as the start of a comment and kubectl does not: ${quoteHint}, or put the comment on its own line`,
      })
    }
  }
  if (raw.includes(CR)) {
    throw new UsageError(`${where}: the unquoted value holds a carriage return`, {
      hint: `dotenv reads it as a line break and kubectl as part of the value: ${quoteHint}`,
    })
  }
}

/**
 * A quoted value from its opening quote, possibly over several lines. '...'
 * and `...` keep every byte; "..." turns \n and \r into LF and CR (dotenv's
 * only escapes) and refuses any other backslash. Line breaks inside the quotes
 * are kept as they are in the input. After the closing quote, only blanks and
 * a `#` comment may follow.
 */
function readQuoted(
  first: Buffer,
  lines: Line[],
  index: number,
  at: (line: number) => string,
): { value: Buffer; lastLine: number } {
  const quote = first[0] as number
  const parts: Buffer[] = []
  let text = first.subarray(1)
  let i = index
  for (;;) {
    const line = lines[i] as Line
    let pos = 0
    while (pos < text.length && text[pos] !== quote) {
      if (quote === DOUBLE_QUOTE && text[pos] === BACKSLASH) {
        const escaped = text[pos + 1]
        if (escaped !== 0x6e /* n */ && escaped !== 0x72 /* r */) {
          throw new UsageError(`${at(line.no)}: a backslash in a double-quoted value must be \\n or \\r`, {
            hint: "in '...' every byte is kept as it is, backslashes and double quotes included",
          })
        }
        parts.push(text.subarray(0, pos), Buffer.from([escaped === 0x6e ? LF : CR]))
        text = text.subarray(pos + 2)
        pos = 0
        continue
      }
      pos++
    }
    if (pos < text.length) {
      parts.push(text.subarray(0, pos))
      const after = text.subarray(pos + 1)
      const next = after.findIndex((c) => !isBlank(c))
      if (next >= 0 && after[next] !== HASH) {
        throw new UsageError(`${at(line.no)}: text after the closing quote`, {
          hint: "only a comment may follow a quoted value, as in KEY='value' # comment",
        })
      }
      return { value: Buffer.concat(parts), lastLine: i }
    }
    parts.push(text, line.ending)
    i++
    const next = lines[i]
    if (next === undefined) {
      throw new UsageError(`${at(lines[index]?.no ?? 0)}: the quote opened on this line is never closed`)
    }
    if (!isUtf8(next.bytes)) throw new UsageError(`${at(next.no)}: not valid UTF-8`)
    text = next.bytes
  }
}
