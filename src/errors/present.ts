import { CliError } from './cli-error.js'

export interface PresentedError {
  /** What goes to stderr: `error: ...` plus an optional hint line. */
  text: string
  exitCode: number
}

/**
 * Turns any failure into what kubectl users expect: one line starting with
 * `error:` (or kubectl's `Error from server (...)`), a hint where we have one,
 * and the stack trace only with --debug. Unknown errors still get one line.
 */
export function presentError(err: unknown, debug: boolean): PresentedError {
  const lines: string[] = []
  let exitCode = 1
  if (err instanceof CliError) {
    exitCode = err.exitCode
    lines.push(err.message.startsWith('Error from server') ? err.message : `error: ${err.message}`)
    if (err.hint) lines.push(`hint: ${err.hint}`)
  } else if (isOclifParseError(err)) {
    lines.push(`error: ${redactParseMessage(firstLine((err as Error).message))}`)
    lines.push("hint: see 'kubectl safe-secret <command> --help' for usage")
  } else if (err instanceof Error) {
    lines.push(`error: ${firstLine(err.message)}`)
  } else {
    lines.push(`error: ${String(err)}`)
  }
  if (debug && err instanceof Error && err.stack) lines.push(err.stack)
  return { text: `${lines.join('\n')}\n`, exitCode }
}

/**
 * oclif quotes what it could not parse. A stray argument or an unknown flag's
 * value may be a secret typed in the wrong place, so neither is echoed.
 */
export function redactParseMessage(message: string): string {
  if (/^Unexpected arguments?:/.test(message)) {
    return 'unexpected argument (not shown, in case it is a value): values come only from the source flags'
  }
  const unknown = /^Nonexistent flags?: (--?[^=\s,]+)/.exec(message)
  if (unknown) return `unknown flag ${unknown[1]}${message.includes('=') ? ' (its value is not shown)' : ''}`
  return message
}

function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? message
  return line.trim()
}

function isOclifParseError(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const name = err.constructor?.name ?? ''
  return /Flag|Arg|Parse|Validation/i.test(name) || 'parse' in err
}
