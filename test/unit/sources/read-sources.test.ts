import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UsageError } from '../../../src/errors/cli-error.js'
import type { SecretEntry } from '../../../src/secret/manifest.js'
import type { IOStreams } from '../../../src/sources/io-streams.js'
import type { Prompter } from '../../../src/sources/prompter.js'
import { checkTerminalUse, readSources, type SourceContext } from '../../../src/sources/read-sources.js'
import type { SourceSpec } from '../../../src/sources/source-spec.js'
import { rejection } from '../../helpers/errors.js'

function fakeIO(opts: { stdinTTY?: boolean; stderrTTY?: boolean; input?: string | Buffer } = {}): IOStreams {
  const stdin = Object.assign(new PassThrough(), { isTTY: opts.stdinTTY ?? false })
  if (opts.input !== undefined) stdin.end(opts.input)
  const stderr = Object.assign(new PassThrough(), { isTTY: opts.stderrTTY ?? false })
  return { stdin, stdout: new PassThrough(), stderr }
}

const terminal = () => fakeIO({ stdinTTY: true, stderrTTY: true })

function fakePrompter(answers: string[]): Prompter & { messages: string[] } {
  const messages: string[] = []
  return {
    messages,
    async secret(message: string) {
      messages.push(message)
      const next = answers.shift()
      if (next === undefined) throw new Error('prompter: no answer left')
      return Buffer.from(next)
    },
  }
}

function ctx(over: Partial<SourceContext> = {}): SourceContext {
  return {
    io: fakeIO(),
    prompter: fakePrompter([]),
    env: {},
    keepTrailingNewline: false,
    confirm: false,
    readKeychain: async () => {
      throw new Error('keychain not expected')
    },
    ...over,
  }
}

const text = (entries: SecretEntry[]) => entries.map((e) => [e.key, e.value.toString('utf8'), e.origin])

let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'safe-secret-sources-'))
  writeFileSync(path.join(dir, 'db.password'), 'file-pass\n')
  mkdirSync(path.join(dir, 'conf'))
  writeFileSync(path.join(dir, 'conf', 'a.txt'), 'AAA')
  writeFileSync(path.join(dir, 'conf', 'b.txt'), Buffer.from([0, 1, 255]))
  mkdirSync(path.join(dir, 'conf', 'sub'))
  writeFileSync(path.join(dir, 'conf', 'sub', 'hidden.txt'), 'nested')
  writeFileSync(path.join(dir, 'app.env'), 'USER=admin\n# c\nFROM_ENV\nEMPTY=\n')
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('checkTerminalUse', () => {
  it('refuses --from-prompt without a terminal', () => {
    const err = (() => {
      try {
        checkTerminalUse([{ kind: 'prompt', key: 'p' }], fakeIO({ stdinTTY: false, stderrTTY: true }))
      } catch (e) {
        return e as Error
      }
    })()
    expect(err).toBeInstanceOf(UsageError)
    expect(err?.message).toBe('--from-prompt needs a terminal, but stdin is not a terminal')
  })

  it('refuses --from-prompt when only stderr is redirected', () => {
    expect(() =>
      checkTerminalUse([{ kind: 'prompt', key: 'p' }], fakeIO({ stdinTTY: true, stderrTTY: false })),
    ).toThrow(/needs a terminal/)
  })

  it('accepts --from-prompt at a terminal', () => {
    expect(() => checkTerminalUse([{ kind: 'prompt', key: 'p' }], terminal())).not.toThrow()
  })

  it.each<SourceSpec>([
    { kind: 'stdin', key: 'k' },
    { kind: 'stdin-format', format: 'env' },
  ])('refuses stdin as a source when stdin is a terminal: %j', (spec) => {
    expect(() => checkTerminalUse([spec], fakeIO({ stdinTTY: true, stderrTTY: true }))).toThrow(
      '--from-stdin reads piped input, but stdin is a terminal',
    )
  })

  it('refuses --from-prompt together with --from-stdin, whatever the terminal', () => {
    const specs: SourceSpec[] = [
      { kind: 'prompt', key: 'a' },
      { kind: 'stdin', key: 'b' },
    ]
    expect(() => checkTerminalUse(specs, terminal())).toThrow(
      /^--from-prompt and --from-stdin both need stdin/,
    )
    expect(() => checkTerminalUse(specs, fakeIO())).toThrow(/^--from-prompt and --from-stdin both need stdin/)
  })

  it('refuses --from-prompt together with --stdin-format', () => {
    expect(() =>
      checkTerminalUse(
        [
          { kind: 'stdin-format', format: 'json' },
          { kind: 'prompt', key: 'a' },
        ],
        terminal(),
      ),
    ).toThrow(/^--from-prompt and --from-stdin both need stdin/)
  })

  it('accepts sources that need no terminal anywhere', () => {
    expect(() => checkTerminalUse([{ kind: 'env', key: 'a', variable: 'B' }], fakeIO())).not.toThrow()
    expect(() => checkTerminalUse([{ kind: 'env', key: 'a', variable: 'B' }], terminal())).not.toThrow()
  })
})

describe('readSources: prompt', () => {
  it('reads a prompted value, naming the key in the prompt', async () => {
    const prompter = fakePrompter(['typed-value'])
    const entries = await readSources(
      [{ kind: 'prompt', key: 'password' }],
      ctx({ io: terminal(), prompter }),
    )
    expect(text(entries)).toEqual([['password', 'typed-value', 'prompt']])
    expect(prompter.messages).toEqual(['Value for password (input hidden):'])
  })

  it('refuses a prompt without a terminal before asking', async () => {
    const prompter = fakePrompter(['x'])
    const err = await rejection(readSources([{ kind: 'prompt', key: 'p' }], ctx({ prompter })))
    expect(err.message).toMatch(/needs a terminal/)
    expect(prompter.messages).toEqual([])
  })

  it('--confirm asks twice and accepts the same value', async () => {
    const prompter = fakePrompter(['same', 'same'])
    const entries = await readSources(
      [{ kind: 'prompt', key: 'p' }],
      ctx({ io: terminal(), prompter, confirm: true }),
    )
    expect(text(entries)).toEqual([['p', 'same', 'prompt']])
    expect(prompter.messages).toEqual(['Value for p (input hidden):', 'Value for p again, to confirm:'])
  })

  it('--confirm with two different values fails without showing either', async () => {
    for (const [a, b] of [
      ['first-value', 'second-value'],
      ['abc', 'abd'],
    ] as const) {
      const err = await rejection(
        readSources(
          [{ kind: 'prompt', key: 'p' }],
          ctx({ io: terminal(), prompter: fakePrompter([a, b]), confirm: true }),
        ),
      )
      expect(err).toBeInstanceOf(UsageError)
      expect(err.message).toBe('the two values typed for p do not match')
      expect(err.message).not.toContain(a)
      expect(err.message).not.toContain(b)
    }
  })
})

describe('readSources: stdin', () => {
  it('reads stdin and drops one trailing newline', async () => {
    const entries = await readSources(
      [{ kind: 'stdin', key: 'token' }],
      ctx({ io: fakeIO({ input: 'tok\n\n' }) }),
    )
    expect(text(entries)).toEqual([['token', 'tok\n', 'stdin']])
  })

  it('keeps the newline with keepTrailingNewline', async () => {
    const entries = await readSources(
      [{ kind: 'stdin', key: 'token' }],
      ctx({ io: fakeIO({ input: 'tok\r\n' }), keepTrailingNewline: true }),
    )
    expect(entries[0]?.value.toString()).toBe('tok\r\n')
  })

  it('is binary-safe', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const entries = await readSources(
      [{ kind: 'stdin', key: 'bin' }],
      // readAll zeroes the chunks it read: hand it a copy.
      ctx({ io: fakeIO({ input: Buffer.from(all) }), keepTrailingNewline: true }),
    )
    expect(entries[0]?.value.equals(all)).toBe(true)
  })

  it.each(['', '\n', '\r\n'])('refuses an empty stdin (%j)', async (input) => {
    const err = await rejection(
      readSources([{ kind: 'stdin', key: 'token' }], ctx({ io: fakeIO({ input }) })),
    )
    expect(err.message).toBe('--from-stdin=token: stdin is empty')
  })

  it('refuses stdin from a terminal', async () => {
    const err = await rejection(readSources([{ kind: 'stdin', key: 't' }], ctx({ io: terminal() })))
    expect(err.message).toMatch(/stdin is a terminal/)
  })

  it('--stdin-format json gives several keys with a stdin origin', async () => {
    const entries = await readSources(
      [{ kind: 'stdin-format', format: 'json' }],
      ctx({ io: fakeIO({ input: '{"user":"u","password":"p"}' }) }),
    )
    expect(text(entries)).toEqual([
      ['user', 'u', 'stdin (json)'],
      ['password', 'p', 'stdin (json)'],
    ])
  })

  it('--stdin-format refuses an empty stdin', async () => {
    const err = await rejection(
      readSources([{ kind: 'stdin-format', format: 'env' }], ctx({ io: fakeIO({ input: '' }) })),
    )
    expect(err.message).toBe('--stdin-format=env: stdin is empty')
  })
})

describe('readSources: --from-env', () => {
  it('reads the variable and deletes it from the env object', async () => {
    const env: NodeJS.ProcessEnv = { DB_PASS: 'from-env', OTHER: 'x' }
    const entries = await readSources([{ kind: 'env', key: 'password', variable: 'DB_PASS' }], ctx({ env }))
    expect(text(entries)).toEqual([['password', 'from-env', 'environment variable DB_PASS']])
    expect('DB_PASS' in env).toBe(false)
    expect(env.OTHER).toBe('x')
  })

  it('refuses a variable that is not set, without showing its name (a value typed in its place would show)', async () => {
    const err = await rejection(
      readSources([{ kind: 'env', key: 'k', variable: 'ghp_S3cr3tValue' }], ctx({ env: {} })),
    )
    expect(err.message).toBe('--from-env=k: the environment variable it names is not set')
    expect(`${err.message}${(err as UsageError).hint}`).not.toContain('ghp_S3cr3tValue')
  })

  it('a bare KEY line of an env file takes the variable, and removes it from the env object', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'env-file-'))
    const file = path.join(dir, 'app.env')
    writeFileSync(file, 'DB_PASS\n')
    const env: NodeJS.ProcessEnv = { DB_PASS: 'from-env', OTHER: 'x' }
    const entries = await readSources([{ kind: 'env-file', path: file }], ctx({ env }))
    expect(text(entries)).toEqual([['DB_PASS', 'from-env', `env file ${file} line 1`]])
    expect('DB_PASS' in env).toBe(false)
    expect(env.OTHER).toBe('x')
  })

  it('refuses an empty variable, and leaves it in place', async () => {
    const env: NodeJS.ProcessEnv = { EMPTY: '' }
    const err = await rejection(readSources([{ kind: 'env', key: 'k', variable: 'EMPTY' }], ctx({ env })))
    expect(err.message).toBe('--from-env=k: the environment variable it names is empty')
  })
})

describe('readSources: --from-file and --from-env-file', () => {
  it('reads a file under its file name, bytes verbatim (no newline trimming)', async () => {
    const file = path.join(dir, 'db.password')
    const entries = await readSources([{ kind: 'file', path: file }], ctx())
    expect(text(entries)).toEqual([['db.password', 'file-pass\n', `file ${file}`]])
  })

  it('reads a file under the key given', async () => {
    const file = path.join(dir, 'db.password')
    const entries = await readSources([{ kind: 'file', key: 'pw', path: file }], ctx())
    expect(entries.map((e) => e.key)).toEqual(['pw'])
  })

  it('reads every regular file of a directory and skips subdirectories', async () => {
    const conf = path.join(dir, 'conf')
    const entries = await readSources([{ kind: 'file', path: conf }], ctx())
    expect(entries.map((e) => [e.key, e.origin]).sort()).toEqual([
      ['a.txt', `file ${path.join(conf, 'a.txt')}`],
      ['b.txt', `file ${path.join(conf, 'b.txt')}`],
    ])
    expect(entries.find((e) => e.key === 'b.txt')?.value.equals(Buffer.from([0, 1, 255]))).toBe(true)
  })

  it('refuses KEY= on a directory', async () => {
    const conf = path.join(dir, 'conf')
    const err = await rejection(readSources([{ kind: 'file', key: 'k', path: conf }], ctx()))
    expect(err.message).toBe(`--from-file: cannot give a key name for a directory path (${conf})`)
  })

  it('refuses a missing file', async () => {
    const missing = path.join(dir, 'missing.txt')
    const err = await rejection(readSources([{ kind: 'file', path: missing }], ctx()))
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe(`--from-file: no such file or directory: ${missing}`)
  })

  it('--cert / --key: a missing file names the flag, a directory is refused', async () => {
    const missing = path.join(dir, 'nope.pem')
    expect(
      (await rejection(readSources([{ kind: 'cert-file', key: 'tls.crt', path: missing }], ctx()))).message,
    ).toBe(`--cert: no such file or directory: ${missing}`)
    expect(
      (await rejection(readSources([{ kind: 'cert-file', key: 'tls.key', path: dir }], ctx()))).message,
    ).toBe(`--key: ${dir} is a directory, not a file`)
  })

  it('--from-env-file: values verbatim, a bare KEY from the env object, line numbers in the origin', async () => {
    const file = path.join(dir, 'app.env')
    const entries = await readSources(
      [{ kind: 'env-file', path: file }],
      ctx({ env: { FROM_ENV: 'env-value' } }),
    )
    expect(text(entries)).toEqual([
      ['USER', 'admin', `env file ${file} line 1`],
      ['FROM_ENV', 'env-value', `env file ${file} line 3`],
      ['EMPTY', '', `env file ${file} line 4`],
    ])
  })

  it('--from-env-file: a bare KEY not in the environment is empty, as in kubectl', async () => {
    const file = path.join(dir, 'app.env')
    const entries = await readSources([{ kind: 'env-file', path: file }], ctx({ env: {} }))
    expect(entries.find((e) => e.key === 'FROM_ENV')?.value.length).toBe(0)
  })

  it('--from-env-file: a missing file names the flag', async () => {
    const missing = path.join(dir, 'none.env')
    const err = await rejection(readSources([{ kind: 'env-file', path: missing }], ctx()))
    expect(err.message).toBe(`--from-env-file: no such file or directory: ${missing}`)
  })
})

describe('readSources: order', () => {
  it('reads files before prompting: a missing file fails before the prompter is called', async () => {
    const prompter = fakePrompter(['typed'])
    const missing = path.join(dir, 'typo.txt')
    const err = await rejection(
      readSources(
        [
          { kind: 'prompt', key: 'password' },
          { kind: 'file', path: missing },
        ],
        ctx({ io: terminal(), prompter }),
      ),
    )
    expect(err.message).toMatch(/no such file or directory/)
    expect(prompter.messages).toEqual([])
  })

  it('a missing environment variable fails before the keychain is read', async () => {
    let keychainReads = 0
    const err = await rejection(
      readSources(
        [
          { kind: 'keychain', key: 'a', service: 's', account: 'x' },
          { kind: 'env', key: 'b', variable: 'UNSET_VAR' },
        ],
        ctx({
          readKeychain: async () => {
            keychainReads++
            return Buffer.from('k')
          },
        }),
      ),
    )
    expect(err.message).toMatch(/the environment variable it names is not set/)
    expect(keychainReads).toBe(0)
  })

  it('returns entries in reading order: file, env-file, env, keychain, stdin, prompt', async () => {
    const refs: { service: string; account: string }[] = []
    const entries = await readSources(
      [
        { kind: 'prompt', key: 'p' },
        { kind: 'keychain', key: 'k', service: 'svc', account: 'acct' },
        { kind: 'env', key: 'e', variable: 'V' },
        { kind: 'file', key: 'f', path: path.join(dir, 'db.password') },
      ],
      ctx({
        io: terminal(),
        prompter: fakePrompter(['typed']),
        env: { V: 'env' },
        readKeychain: async (ref) => {
          refs.push(ref)
          return Buffer.from('kc')
        },
      }),
    )
    expect(entries.map((e) => [e.key, e.origin])).toEqual([
      ['f', `file ${path.join(dir, 'db.password')}`],
      ['e', 'environment variable V'],
      ['k', 'keychain entry service "svc" account "acct"'],
      ['p', 'prompt'],
    ])
    expect(refs).toEqual([{ service: 'svc', account: 'acct' }])
  })

  it('zeroes the values already read when a later source fails', async () => {
    const captured: Buffer[] = []
    const err = await rejection(
      readSources(
        [
          { kind: 'keychain', key: 'k', service: 's', account: 'a' },
          { kind: 'stdin', key: 's' },
        ],
        ctx({
          io: fakeIO({ input: '' }),
          readKeychain: async () => {
            const b = Buffer.from('keychain-secret')
            captured.push(b)
            return b
          },
        }),
      ),
    )
    expect(err.message).toMatch(/stdin is empty/)
    expect(captured).toHaveLength(1)
    expect([...(captured[0] as Buffer)].every((x) => x === 0)).toBe(true)
  })
})
