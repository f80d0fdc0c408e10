/**
 * The API server's warnings (HTTP `Warning` headers: deprecated APIs, admission
 * policies with the Warn action, webhooks), printed as kubectl prints them:
 * `Warning: TEXT` on stderr, each text once per run, code 299 only, "Warning:"
 * in bold yellow when stderr is a terminal. Parsing follows client-go's
 * ParseWarningHeaders. What is printed goes through the redaction point like
 * every other byte: a policy's message may quote a value.
 */

export interface WarningHeader {
  code: number
  agent: string
  text: string
}

/**
 * Every warning in the header values, in order. As in client-go, a malformed
 * warning ends its header value (the rest of that value is skipped) and parsing
 * goes on with the next one.
 */
export function parseWarningHeaders(values: readonly string[]): WarningHeader[] {
  const out: WarningHeader[] = []
  for (const value of values) {
    let rest = value
    while (rest.length > 0) {
      const parsed = parseOne(rest)
      if (!parsed) break
      out.push(parsed.warning)
      rest = parsed.rest
    }
  }
  return out
}

// A control character makes the whole warning invalid, as in client-go.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

/** One `code agent "text" ["date"]`, and what follows its comma. */
function parseOne(header: string): { warning: WarningHeader; rest: string } | undefined {
  const trimmed = header.trim()
  const first = trimmed.indexOf(' ')
  const second = first === -1 ? -1 : trimmed.indexOf(' ', first + 1)
  if (second === -1) return undefined
  const code = trimmed.slice(0, first)
  const agent = trimmed.slice(first + 1, second)
  if (!/^[0-9]{3}$/.test(code) || agent.length === 0 || CONTROL.test(agent)) return undefined
  const quoted = unquote(trimmed.slice(second + 1))
  if (!quoted || CONTROL.test(quoted.text)) return undefined
  let rest = quoted.rest
  if (rest.startsWith('"')) {
    const end = rest.indexOf('"', 1)
    if (end === -1) return undefined
    rest = rest.slice(end + 1).trim()
  }
  if (rest.length > 0) {
    if (!rest.startsWith(',')) return undefined
    rest = rest.slice(1).trim()
  }
  return { warning: { code: Number(code), agent, text: quoted.text }, rest }
}

/** A quoted string with backslash escapes, and the trimmed text after it. */
function unquote(s: string): { text: string; rest: string } | undefined {
  if (!s.startsWith('"')) return undefined
  let text = ''
  for (let i = 1; i < s.length; i++) {
    const c = s[i] as string
    if (c === '\\' && i + 1 < s.length) {
      text += s[++i]
    } else if (c === '"') {
      return { text, rest: s.slice(i + 1).trim() }
    } else {
      text += c
    }
  }
  return undefined
}

/** The `Warning` values of a response, from Node's raw header list (which keeps repeated headers apart). */
export function warningValues(rawHeaders: readonly string[]): string[] {
  const values: string[] = []
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === 'warning') values.push(rawHeaders[i + 1] as string)
  }
  return values
}

/** Prints each warning text once per run, as kubectl's default warning handler. */
export class WarningPrinter {
  private readonly printed = new Set<string>()

  constructor(
    private readonly write: (line: string) => void,
    private readonly color: boolean,
  ) {}

  handle(rawHeaders: readonly string[]): void {
    for (const { code, text } of parseWarningHeaders(warningValues(rawHeaders))) {
      if (code !== 299 || text.length === 0 || this.printed.has(text)) continue
      this.printed.add(text)
      this.write(this.color ? `\u001b[33;1mWarning:\u001b[0m ${text}\n` : `Warning: ${text}\n`)
    }
  }
}

/** kubectl's rule (term.AllowsColorOutput): colour only on a terminal whose TERM is not "dumb". */
export function stderrAllowsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb'
}
