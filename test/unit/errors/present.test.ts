import { Args, Flags, type Interfaces, Parser } from '@oclif/core'
import { describe, expect, it } from 'vitest'
import {
  ApiStatusError,
  CliError,
  ConnectionError,
  InterruptedError,
  KubeconfigError,
  UsageError,
} from '../../../src/errors/cli-error.js'
import { describeParseError, presentError } from '../../../src/errors/present.js'

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
    const frames = (err.stack as string).split('\n').slice(1).join('\n')
    expect(out.text).toBe(`error: bad flag\nhint: h\n${frames}\n`)
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

  it("an oclif parse error gets one line in kubectl's words and a usage hint", async () => {
    const err = await parseError(['--ttl'], { ttl: Flags.string() })
    expect(presentError(err, false)).toEqual({
      text: "error: flag needs an argument: --ttl\nhint: see 'kubectl safe-secret <command> --help' for usage\n",
      exitCode: 1,
    })
  })

  it('an unknown flag is named, its value never shown', async () => {
    expect(presentError(await parseError(['--nope']), false).text).toBe(
      "error: unknown flag: --nope\nhint: see 'kubectl safe-secret <command> --help' for usage\n",
    )
    const withValue = presentError(await parseError(['--password=Hunter2Secret']), false)
    expect(withValue.text).toMatch(/^error: unknown flag: --password\n/)
    expect(withValue.text).not.toContain('Hunter2Secret')
    const valueAsFlag = presentError(await parseError(['--P@ss!w0rd+==']), false)
    expect(valueAsFlag.text).toMatch(/^error: unknown flag: \(not shown, in case it is a value\)\n/)
  })

  it('--debug shows no message of a parse error: it quotes what was typed', async () => {
    const out = presentError(await parseError(['Hunter2Secret']), true)
    expect(out.text).toContain('    at ')
    expect(out.text).not.toContain('Hunter2Secret')
  })

  it('a stray argument is never echoed: it may be a value typed in the wrong place', async () => {
    const out = presentError(await parseError(['Hunter2Secret']), false)
    expect(out.text).not.toContain('Hunter2Secret')
    expect(out.text).toMatch(/^error: unexpected argument \(not shown, in case it is a value\)/)
  })
})

/** The error oclif's own parser throws for argv, so the wording tested is oclif's real one. */
async function parseError(
  argv: string[],
  flags: Interfaces.FlagInput = {},
  args: Interfaces.ArgInput = {},
): Promise<Error> {
  try {
    await Parser.parse(argv, { flags, args, strict: true })
  } catch (err) {
    return err as Error
  }
  throw new Error(`${argv.join(' ')} parsed`)
}

describe('describeParseError: what oclif says, as kubectl would say it', () => {
  const describe_ = async (...a: Parameters<typeof parseError>) => {
    const err = await parseError(...a)
    return describeParseError(err.message, (err as { args?: { name: string }[] }).args)
  }

  it('names every missing argument', async () => {
    const args = { service: Args.string({ required: true }), account: Args.string({ required: true }) }
    expect(await describe_([], {}, args)).toBe('missing required arguments SERVICE ACCOUNT')
    expect(await describe_(['s'], {}, args)).toBe('missing required argument ACCOUNT')
  })

  it('a flag without its value, with the values it takes', async () => {
    const flags = { 'dry-run': Flags.string({ options: ['none', 'client', 'server'] }) }
    expect(await describe_(['--dry-run'], flags)).toBe(
      'flag needs an argument: --dry-run (one of none, client, server)',
    )
  })

  it('an invalid option value: quoted when it is a word, hidden otherwise', async () => {
    const flags = { output: Flags.string({ options: ['json', 'yaml'] }) }
    expect(await describe_(['--output=jsno'], flags)).toBe(
      'invalid argument "jsno" for "--output" flag: must be one of json, yaml',
    )
    const hidden = await describe_(['--output=S3cr3t!'], flags)
    expect(hidden).toBe(
      'invalid argument (not shown, in case it is a value) for "--output" flag: must be one of json, yaml',
    )
  })

  it('exclusive flags as one line, without their values', async () => {
    const flags = {
      ttl: Flags.string({ exclusive: ['expires-at'] }),
      'expires-at': Flags.string({ exclusive: ['ttl'] }),
    }
    expect(await describe_(['--ttl=5m', '--expires-at=2030-01-01T00:00:00Z'], flags)).toBe(
      '--expires-at and --ttl cannot be used together',
    )
  })

  it('keeps any other message, first line only', () => {
    expect(describeParseError('Something else\nmore')).toBe('Something else')
  })
})
