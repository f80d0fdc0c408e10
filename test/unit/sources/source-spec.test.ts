import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../src/errors/cli-error.js'
import { parseFileSource, parseSourceFlags, usesPrompt, usesStdin } from '../../../src/sources/source-spec.js'
import { thrown } from '../../helpers/errors.js'

describe('parseFileSource: kubectl TestParseFileSource', () => {
  it.each([
    ['boo=zoo', 'boo', 'zoo'],
    ['boo=/path/to/zoo', 'boo', '/path/to/zoo'],
    ['boo-2=/1/2/3/4/5/zab.txt', 'boo-2', '/1/2/3/4/5/zab.txt'],
    ['boo-=this/seems/weird.txt', 'boo-', 'this/seems/weird.txt'],
    ['-key=some/path', '-key', 'some/path'],
  ])('%s -> key %s, path %s', (input, key, path) => {
    expect(parseFileSource(input)).toEqual({ kind: 'file', key, path })
  })

  it('a bare path has no key: the file name is used later', () => {
    expect(parseFileSource('/etc/app/config.json')).toEqual({ kind: 'file', path: '/etc/app/config.json' })
  })

  it.each(['key==some/path', '=key=some/path', '==key=/some/other/path', '=key', 'key='])(
    '%s is refused',
    (input) => {
      expect(() => parseFileSource(input)).toThrow(UsageError)
    },
  )

  it("gives kubectl's messages", () => {
    expect(thrown(() => parseFileSource('=key')).message).toBe(
      'key name for file path "key" missing in --from-file',
    )
    expect(thrown(() => parseFileSource('key=')).message).toBe(
      'file path for key name "key" missing in --from-file',
    )
    expect(thrown(() => parseFileSource('key==some/path')).message).toBe(
      `--from-file: key names or file paths cannot contain '=' (key "key")`,
    )
  })
})

describe('parseSourceFlags', () => {
  it('turns each flag into specs', () => {
    expect(
      parseSourceFlags({
        'from-prompt': ['password'],
        'from-file': ['ca.crt=/etc/ca.pem', '/etc/x'],
        'from-env-file': ['.env'],
        'from-env': ['token=API_TOKEN'],
        'from-keychain': ['api=vault/deploy'],
      }),
    ).toEqual([
      { kind: 'prompt', key: 'password' },
      { kind: 'file', key: 'ca.crt', path: '/etc/ca.pem' },
      { kind: 'file', path: '/etc/x' },
      { kind: 'env-file', path: '.env' },
      { kind: 'env', key: 'token', variable: 'API_TOKEN' },
      { kind: 'keychain', key: 'api', service: 'vault', account: 'deploy' },
    ])
  })

  it('no flag gives no spec', () => {
    expect(parseSourceFlags({})).toEqual([])
  })

  it('--from-stdin and --stdin-format', () => {
    expect(parseSourceFlags({ 'from-stdin': ['token'] })).toEqual([{ kind: 'stdin', key: 'token' }])
    expect(parseSourceFlags({ 'stdin-format': 'json' })).toEqual([{ kind: 'stdin-format', format: 'json' }])
    expect(parseSourceFlags({ 'stdin-format': 'env' })).toEqual([{ kind: 'stdin-format', format: 'env' }])
  })

  it('refuses an unknown --stdin-format', () => {
    expect(() => parseSourceFlags({ 'stdin-format': 'yaml' })).toThrow(
      '--stdin-format must be env or json, not "yaml"',
    )
  })

  it.each([[{ 'from-stdin': ['a', 'b'] }], [{ 'from-stdin': ['a'], 'stdin-format': 'env' }]])(
    'refuses two sources on stdin: %j',
    (flags) => {
      const err = thrown(() => parseSourceFlags(flags))
      expect(err).toBeInstanceOf(UsageError)
      expect(err.message).toMatch(/^stdin can feed only one source/)
    },
  )

  it.each(['password', 'password=', '=DB_PASS', ''])(
    '--from-env %j without KEY=VARNAME is refused',
    (value) => {
      expect(() => parseSourceFlags({ 'from-env': [value] })).toThrow(/^--from-env takes KEY=VARNAME/)
    },
  )

  it.each(['1VAR', 'A-B', 'A.B', 'a b', 'A=B'])(
    '--from-env with an invalid variable name %j is refused without showing it',
    (variable) => {
      const err = thrown(() => parseSourceFlags({ 'from-env': [`k=${variable}`] }))
      expect(err.message).toBe(
        '--from-env=k: what follows "k=" is not a valid environment variable name (not shown, in case it is a value)',
      )
    },
  )

  it('never shows what follows --from-env=KEY=: the shell may have put a value there', () => {
    const value = 's3cr3t/+VALUE-x9'
    for (const flag of [`k=${value}`, value, `=${value}`]) {
      const err = thrown<UsageError>(() => parseSourceFlags({ 'from-env': [flag] }))
      expect(`${err.message}\n${err.hint ?? ''}`).not.toContain(value)
    }
  })

  it('--from-env splits at the first =', () => {
    expect(parseSourceFlags({ 'from-env': ['k=_V1'] })).toEqual([{ kind: 'env', key: 'k', variable: '_V1' }])
  })

  it('usesStdin and usesPrompt', () => {
    expect(usesStdin(parseSourceFlags({ 'from-stdin': ['a'] }))).toBe(true)
    expect(usesStdin(parseSourceFlags({ 'stdin-format': 'env' }))).toBe(true)
    expect(usesStdin(parseSourceFlags({ 'from-prompt': ['a'] }))).toBe(false)
    expect(usesPrompt(parseSourceFlags({ 'from-prompt': ['a'] }))).toBe(true)
    expect(usesPrompt(parseSourceFlags({ 'from-env': ['a=B'] }))).toBe(false)
  })
})
