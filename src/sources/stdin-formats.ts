import { isUtf8 } from 'node:buffer'
import { UsageError } from '../errors/cli-error.js'
import { NOT_SHOWN } from '../errors/user-text.js'
import { secretKeyProblem } from '../secret/names.js'
import { parseStdinEnv } from './env-file.js'

/**
 * Several keys at once from stdin: `env` lines (the grammar shared with
 * --from-env-file, see env-file.ts) or a JSON object whose values are all
 * strings. A value is kept byte for byte or refused: a key given twice, bytes
 * that are not UTF-8, and anything the readers of these formats disagree on
 * are errors. Errors name keys, lines or positions, never values.
 */
export async function parseStdinFormat(
  format: 'env' | 'json',
  input: Buffer,
): Promise<{ key: string; value: Buffer }[]> {
  if (format === 'json') return parseStdinJson(input)
  const entries = parseStdinEnv(input).map(({ key, value }) => ({ key, value }))
  if (entries.length === 0) throw new UsageError('--stdin-format=env: stdin holds no KEY=VALUE line')
  return entries
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf])
/** A JSON string token. In valid JSON no raw newline or control character is inside one. */
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g
/** A UTF-16 surrogate without its pair, which `\ud800` escapes can produce and UTF-8 cannot hold. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function parseStdinJson(input: Buffer): { key: string; value: Buffer }[] {
  const badLine = firstNonUtf8Line(input)
  if (badLine !== undefined) throw new UsageError(`--stdin-format=json: line ${badLine}: not valid UTF-8`)
  // RFC 8259 lets a parser ignore a leading BOM; PowerShell writes one.
  const bomLength = input.subarray(0, 3).equals(BOM) ? 3 : 0
  const text = input.subarray(bomLength).toString('utf8')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    // JSON.parse messages quote the text around the error: keep only the position,
    // turned from a UTF-16 index into a byte offset.
    const position = /position (\d+)/.exec((err as Error).message)?.[1]
    const byte =
      position === undefined
        ? undefined
        : bomLength + Buffer.byteLength(text.slice(0, Number(position)), 'utf8')
    throw new UsageError(
      `--stdin-format=json: stdin is not valid JSON${byte === undefined ? '' : ` (at byte ${byte})`}`,
    )
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(
      '--stdin-format=json: stdin must hold a JSON object of strings, such as {"user": "...", "password": "..."}',
    )
  }
  const entries: { key: string; value: Buffer }[] = []
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') {
      throw new UsageError(
        `--stdin-format=json: the value of ${shownKey(key)} is a ${value === null ? 'null' : typeof value}, not a string`,
      )
    }
    if (LONE_SURROGATE.test(key) || LONE_SURROGATE.test(value)) {
      throw new UsageError(
        `--stdin-format=json: the ${LONE_SURROGATE.test(key) ? 'key' : `value of ${shownKey(key)}`} holds a \\u escape of half a surrogate pair, which UTF-8 cannot hold`,
      )
    }
    entries.push({ key, value: Buffer.from(value, 'utf8') })
  }
  if (entries.length === 0) throw new UsageError('--stdin-format=json: the object on stdin is empty')
  checkDuplicateKeys(text, entries.length)
  return entries
}

/**
 * JSON.parse keeps the last of two equal keys. The input is known to be one
 * object whose values are all strings, so its string tokens alternate key,
 * value: more keys than the parsed object has means one came twice.
 */
function checkDuplicateKeys(text: string, distinct: number): void {
  const keys = [...text.matchAll(JSON_STRING)]
    .filter((_, i) => i % 2 === 0)
    .map((m) => JSON.parse(m[0]) as string)
  if (keys.length === distinct) return
  const seen = new Set<string>()
  for (const key of keys) {
    if (seen.has(key)) throw new UsageError(`--stdin-format=json: the key ${shownKey(key)} is given twice`)
    seen.add(key)
  }
}

/** The 1-based number of the first line that is not UTF-8 (no UTF-8 sequence holds a newline byte). */
function firstNonUtf8Line(input: Buffer): number | undefined {
  if (isUtf8(input)) return undefined
  let start = 0
  for (let no = 1; start <= input.length; no++) {
    const lf = input.indexOf(0x0a, start)
    const end = lf < 0 ? input.length : lf
    if (!isUtf8(input.subarray(start, end))) return no
    start = end + 1
  }
  return undefined
}

/**
 * A key read from stdin, for an error: stdin is where values come from, so a
 * key is repeated only when it is a valid Secret key (a name, not a value).
 */
function shownKey(key: string): string {
  return secretKeyProblem(key) ? NOT_SHOWN : `"${key}"`
}
