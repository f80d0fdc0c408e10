import { stripVTControlCharacters } from 'node:util'
import { CliError } from './cli-error.js'
import { isFlagName, NOT_SHOWN } from './user-text.js'

export interface PresentedError {
  /** What goes to stderr: `error: ...` plus an optional hint line. */
  text: string
  exitCode: number
}

/**
 * Turns any failure into what kubectl users expect: one line starting with
 * `error:` (or kubectl's `Error from server (...)`), a hint where we have one,
 * and the stack trace only with --debug. Unknown errors still get one line.
 * `command` (`kubectl safe-secret create`) is what usage hints point at.
 */
export function presentError(
  err: unknown,
  debug: boolean,
  command = 'kubectl safe-secret <command>',
): PresentedError {
  const lines: string[] = []
  let exitCode = 1
  if (err instanceof CliError) {
    exitCode = err.exitCode
    lines.push(err.message.startsWith('Error from server') ? err.message : `error: ${err.message}`)
    if (err.hint) lines.push(`hint: ${err.hint}`)
  } else if (isOclifError(err)) {
    const args = (err as { args?: { name: string }[] }).args
    lines.push(`error: ${describeParseError((err as Error).message, args)}`)
    lines.push(`hint: see '${command} --help' for usage`)
  } else if (err instanceof Error) {
    lines.push(`error: ${firstLine(err.message)}`)
  } else {
    lines.push(`error: ${String(err)}`)
  }
  if (debug && err instanceof Error && err.stack) lines.push(stackFrames(err.stack))
  return { text: `${lines.join('\n')}\n`, exitCode }
}

/**
 * oclif's parse errors, worded as kubectl (cobra) words its own, on one line.
 * oclif quotes what it could not parse: a stray argument or a flag's value may
 * be a secret typed in the wrong place, so neither is echoed unless it looks
 * like a plain word.
 */
export function describeParseError(message: string, args?: { name: string }[]): string {
  const text = stripVTControlCharacters(message).replace(/\n+See more help with --help\s*$/, '')
  const first = firstLine(text)
  if (/^Unexpected arguments?:/.test(first)) return STRAY_ARGUMENT
  const unknown = /^Nonexistent flags?: (--?[^=\s,]+)/.exec(first)
  // kubectl's wording, without the value; a name that is no flag name may itself be a value.
  if (unknown) return `unknown flag: ${isFlagName(unknown[1] as string) ? unknown[1] : NOT_SHOWN}`
  if (/^Missing \d+ required args?/.test(first)) {
    const names = (args ?? []).map((a) => a.name.toUpperCase())
    const what = `missing required argument${names.length === 1 ? '' : 's'}`
    return names.length ? `${what} ${names.join(' ')}` : what
  }
  const needsValue = /^Flag (--[\w-]+) expects (?:a value|one of these values: (.*))$/.exec(first)
  if (needsValue) {
    return `flag needs an argument: ${needsValue[1]}${needsValue[2] ? ` (one of ${needsValue[2]})` : ''}`
  }
  const invalidOption = /^Expected (?:(--[\w-]+)=)?(.*) to be one of: (.*)$/.exec(first)
  if (invalidOption) {
    const where = invalidOption[1] ? ` for "${invalidOption[1]}" flag` : ''
    return `invalid argument ${quoteIfWord(invalidOption[2] ?? '')}${where}: must be one of ${invalidOption[3]}`
  }
  if (/^The following errors? occurred:/.test(first)) {
    const details = text
      .split('\n')
      .slice(1)
      .map((line) => line.trim().replace(/(--[\w-]+)=\S+/g, '$1'))
      .filter(Boolean)
      .map((line) => {
        const both = /^(--[\w-]+) cannot also be provided when using (--[\w-]+)$/.exec(line)
        return both ? `${[both[1], both[2]].sort().join(' and ')} cannot be used together` : line
      })
    return [...new Set(details)].join('; ')
  }
  return first
}

/** A stray argument: never echoed, it may be a value typed in the wrong place. */
export const STRAY_ARGUMENT =
  'unexpected argument (not shown, in case it is a value): values come only from the source flags'

/** A word the user typed, quoted, or a note that it is not shown when it may be a value. */
export function quoteIfWord(word: string): string {
  return /^[a-z][a-z-]{0,31}$/i.test(word) ? `"${word}"` : NOT_SHOWN
}

/**
 * The `at ...` lines of a stack, for --debug. The first line repeats the
 * message, and an oclif parse error's message quotes what the user typed.
 */
export function stackFrames(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n')
}

function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? message
  return line.trim()
}

/** oclif's errors (parse and validation errors among them) carry an `oclif` property. */
function isOclifError(err: unknown): boolean {
  return err instanceof Error && 'oclif' in err
}
