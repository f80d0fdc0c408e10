import { UsageError } from '../errors/cli-error.js'

/**
 * Several keys at once from stdin. `env` uses dotenv's parser (quotes,
 * multi-line values, comments); `json` takes an object whose values are all
 * strings. Errors name keys or positions, never values.
 */
export async function parseStdinFormat(
  format: 'env' | 'json',
  input: Buffer,
): Promise<{ key: string; value: Buffer }[]> {
  if (format === 'env') {
    const { parse } = await import('dotenv')
    const parsed = parse(input)
    const entries = Object.entries(parsed).map(([key, value]) => ({ key, value: Buffer.from(value, 'utf8') }))
    if (entries.length === 0) throw new UsageError('--stdin-format=env: stdin holds no KEY=VALUE line')
    return entries
  }
  let parsed: unknown
  const text = input.toString('utf8')
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    // JSON.parse messages quote the text around the error: keep only the position,
    // turned from a UTF-16 index into a byte offset.
    const position = /position (\d+)/.exec((err as Error).message)?.[1]
    const byte =
      position === undefined ? undefined : Buffer.byteLength(text.slice(0, Number(position)), 'utf8')
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
        `--stdin-format=json: the value of "${key}" is a ${value === null ? 'null' : typeof value}, not a string`,
      )
    }
    entries.push({ key, value: Buffer.from(value, 'utf8') })
  }
  if (entries.length === 0) throw new UsageError('--stdin-format=json: the object on stdin is empty')
  return entries
}
