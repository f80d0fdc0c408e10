import { describe, expect, it } from 'vitest'
import {
  ApiStatusError,
  CliError,
  ConnectionError,
  InterruptedError,
  KubeconfigError,
  UsageError,
} from '../../../src/errors/cli-error.js'
import { presentError, redactParseMessage } from '../../../src/errors/present.js'

describe('presentError', () => {
  it('a CliError: one error: line, then the hint', () => {
    const out = presentError(new UsageError('bad flag', { hint: 'try --help' }), false)
    expect(out).toEqual({ text: 'error: bad flag\nhint: try --help\n', exitCode: 1 })
  })

  it('a CliError without a hint: one line', () => {
    expect(presentError(new KubeconfigError('context "x" does not exist'), false)).toEqual({
      text: 'error: context "x" does not exist\n',
      exitCode: 1,
    })
  })

  it('keeps the exit code of the error', () => {
    expect(presentError(new CliError('boom', { exitCode: 7 }), false).exitCode).toBe(7)
    expect(presentError(new InterruptedError(), false)).toEqual({
      text: 'error: interrupted\n',
      exitCode: 130,
    })
    expect(presentError(new ConnectionError('refused', 'connection refused'), false).exitCode).toBe(1)
  })

  it("an ApiStatusError keeps kubectl's 'Error from server (...)' form", () => {
    const err = new ApiStatusError(
      { code: 409, reason: 'AlreadyExists', message: 'secrets "db" already exists' },
      { verb: 'create', resource: 'secrets', namespace: 'prod' },
      { hint: 'use --overwrite' },
    )
    expect(presentError(err, false)).toEqual({
      text: 'Error from server (AlreadyExists): secrets "db" already exists\nhint: use --overwrite\n',
      exitCode: 1,
    })
  })

  it('an ApiStatusError without a reason takes one from the code', () => {
    const err = new ApiStatusError({ code: 403, message: 'forbidden' }, { verb: 'get', resource: 'secrets' })
    expect(presentError(err, false).text).toBe('Error from server (Forbidden): forbidden\n')
  })

  it('--debug adds the stack', () => {
    const err = new UsageError('bad flag', { hint: 'h' })
    const out = presentError(err, true)
    expect(out.text.startsWith('error: bad flag\nhint: h\n')).toBe(true)
    expect(out.text).toContain(err.stack as string)
    expect(presentError(err, false).text).not.toContain('    at ')
  })

  it('an unknown error gets one line: the first non-empty line of its message', () => {
    const out = presentError(new Error('\n  first line  \nsecond line\n    at somewhere'), false)
    expect(out).toEqual({ text: 'error: first line\n', exitCode: 1 })
  })

  it('an unknown TypeError gets one line and no hint', () => {
    expect(presentError(new TypeError('x is not a function'), false).text).toBe(
      'error: x is not a function\n',
    )
  })

  it('a thrown non-Error is stringified', () => {
    expect(presentError('plain string', false)).toEqual({ text: 'error: plain string\n', exitCode: 1 })
    expect(presentError(42, true).text).toBe('error: 42\n')
  })

  it('an oclif parse error gets one line and a usage hint', () => {
    class FailedFlagValidationError extends Error {}
    const out = presentError(
      new FailedFlagValidationError('--ttl needs a value\nSee more help with --help'),
      false,
    )
    expect(out).toEqual({
      text: "error: --ttl needs a value\nhint: see 'kubectl safe-secret <command> --help' for usage\n",
      exitCode: 1,
    })
  })

  it('an unknown flag is named, its value never shown', () => {
    class NonExistentFlagsError extends Error {}
    expect(
      presentError(new NonExistentFlagsError('Nonexistent flag: --nope\nSee more help with --help'), false)
        .text,
    ).toBe("error: unknown flag --nope\nhint: see 'kubectl safe-secret <command> --help' for usage\n")
    const withValue = presentError(
      new NonExistentFlagsError('Nonexistent flag: --password=Hunter2Secret'),
      false,
    )
    expect(withValue.text).toMatch(/^error: unknown flag --password \(its value is not shown\)\n/)
    expect(withValue.text).not.toContain('Hunter2Secret')
  })

  it('a stray argument is never echoed: it may be a value typed in the wrong place', () => {
    class UnexpectedArgsError extends Error {}
    const out = presentError(
      new UnexpectedArgsError('Unexpected argument: Hunter2Secret\nSee more help with --help'),
      false,
    )
    expect(out.text).not.toContain('Hunter2Secret')
    expect(out.text).toMatch(/^error: unexpected argument \(not shown, in case it is a value\)/)
  })
})

describe('redactParseMessage', () => {
  it.each([
    [
      'Unexpected arguments: a, b',
      'unexpected argument (not shown, in case it is a value): values come only from the source flags',
    ],
    ['Nonexistent flags: --a, --b', 'unknown flag --a'],
    ['Nonexistent flag: -x=1', 'unknown flag -x (its value is not shown)'],
    ['Expected --ttl to be one of: a, b', 'Expected --ttl to be one of: a, b'],
  ])('%j -> %j', (input, expected) => {
    expect(redactParseMessage(input)).toBe(expected)
  })
})
