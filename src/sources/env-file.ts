import { UsageError } from '../errors/cli-error.js'

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/

export interface EnvFileEntry {
  key: string
  /** Set when the line had a value; unset when the line is a bare KEY (value from the environment). */
  value?: Buffer
  line: number
}

/**
 * kubectl's --from-env-file format (k8s.io/kubectl/pkg/cmd/util/env_file.go),
 * which is not dotenv: one KEY=VALUE per line, leading whitespace and a UTF-8
 * BOM on the first line dropped, `#` comments, the value taken verbatim (no
 * quotes, no escapes), and a bare KEY meaning "from the environment".
 * Unlike kubectl, an error never quotes the line: it may hold a value.
 */
export function parseEnvFile(content: Buffer, path: string): EnvFileEntry[] {
  const entries: EnvFileEntry[] = []
  let start = 0
  let lineNo = 0
  while (start <= content.length) {
    let end = content.indexOf(0x0a, start)
    if (end < 0) end = content.length
    let line = content.subarray(start, end)
    // bufio.ScanLines drops a trailing \r.
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1)
    if (lineNo === 0 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) line = line.subarray(3)
    const entry = parseLine(line, path, lineNo)
    if (entry) entries.push(entry)
    lineNo++
    if (end === content.length) break
    start = end + 1
  }
  return entries
}

function parseLine(raw: Buffer, path: string, lineNo: number): EnvFileEntry | undefined {
  let i = 0
  while (i < raw.length && isSpace(raw[i] as number)) i++
  const line = raw.subarray(i)
  if (line.length === 0 || line[0] === 0x23 /* # */) return undefined
  if (!isValidUtf8(line)) throw new UsageError(`env file ${path} has invalid UTF-8 at line ${lineNo + 1}`)
  const eq = line.indexOf(0x3d /* = */)
  const key = line.subarray(0, eq < 0 ? line.length : eq).toString('utf8')
  if (!ENV_VAR_NAME.test(key)) {
    throw new UsageError(
      `env file ${path} line ${lineNo + 1}: the key is not a valid environment variable name`,
      {
        hint: "keys may contain letters, digits, '-', '_' and '.', and may not start with a digit",
      },
    )
  }
  if (eq < 0) return { key, line: lineNo + 1 }
  return { key, value: Buffer.from(line.subarray(eq + 1)), line: lineNo + 1 }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0b || b === 0x0c || b === 0x0d
}

function isValidUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b)
    return true
  } catch {
    return false
  }
}
