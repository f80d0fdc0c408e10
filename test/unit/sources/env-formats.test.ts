/**
 * The same input through both env sources: --from-env-file (kubectl's format)
 * and --stdin-format=env. A line is read the same way by both, or refused with
 * its line number; a value is never cut. dotenv's own parser is the oracle for
 * the lines where the README says the two agree with it.
 */
import { parse as dotenvParse } from 'dotenv'
import { describe, expect, it } from 'vitest'
import { parseEnvFile, parseStdinEnv } from '../../../src/sources/env-file.js'
import { thrown } from '../../helpers/errors.js'

type Outcome = Record<string, string> | string

function read(dialect: 'env-file' | 'stdin-env', input: Buffer | string): Outcome {
  const content = typeof input === 'string' ? Buffer.from(input) : input
  try {
    const entries =
      dialect === 'env-file' ? parseEnvFile(content, 'in.env') : parseStdinEnv(Buffer.from(content))
    return Object.fromEntries(entries.map((e) => [e.key, e.value?.toString('utf8') ?? '<environment>']))
  } catch (err) {
    // The line-number part of the message, which both sources must give.
    return (err as Error).message.replace(/^(env file in\.env|--stdin-format=env:) /, '')
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf])

describe('read the same way by both env sources', () => {
  it.each<[string, Buffer | string, Outcome]>([
    ['an unquoted # is kept (sops dotenv output)', 'PASSWORD=pa#ss#word\n', { PASSWORD: 'pa#ss#word' }],
    ['# right after =', 'A=#x\n', { A: '#x' }],
    ['comment lines and blank lines', '# c\n\n  # indented\nA=1\n', { A: '1' }],
    ['CRLF endings', 'A=1\r\nB=x#y\r\n', { A: '1', B: 'x#y' }],
    ['a BOM on the first line', Buffer.concat([BOM, Buffer.from('A=1\n')]), { A: '1' }],
    ['inner quotes, = and backslashes', 'A=a"b\'c=d\\n\n', { A: 'a"b\'c=d\\n' }],
    ['an empty value', 'A=\n', { A: '' }],
    ['leading whitespace before the key', ' \t\u00a0A=1', { A: '1' }],
    ['a key given twice', 'A=1\nB=2\nA=3\n', 'line 3: the key "A" is given twice (first on line 1)'],
    [
      'non-UTF-8 bytes in a value',
      Buffer.concat([Buffer.from('A=1\nB=x'), Buffer.from([0xff]), Buffer.from('\n')]),
      'line 2: not valid UTF-8',
    ],
    [
      'non-UTF-8 bytes in a comment',
      Buffer.concat([Buffer.from('# '), Buffer.from([0xc3, 0x28]), Buffer.from('\nA=1\n')]),
      'line 1: not valid UTF-8',
    ],
    [
      'a BOM on the second line',
      Buffer.concat([Buffer.from('A=1\n'), BOM, Buffer.from('B=1')]),
      'line 2: the key is not a valid environment variable name',
    ],
    ['an invalid key', 'A=1\nA B=2\n', 'line 2: the key is not a valid environment variable name'],
    ['KEY = VALUE', 'A = 1\n', 'line 1: the key is not a valid environment variable name'],
    ['YAML instead of env', 'A: 1\n', 'line 1: the key is not a valid environment variable name'],
  ])('%s', (_title, input, expected) => {
    expect(read('env-file', input)).toEqual(expected)
    expect(read('stdin-env', input)).toEqual(expected)
  })
})

describe('read differently: one of the two refuses, with the line number', () => {
  it.each<[string, string, Outcome, Outcome]>([
    ['double quotes', 'A=1\nB="x y"\n', 'line 2: the value starts with a quote', { A: '1', B: 'x y' }],
    ['single quotes', "B='x\\n'\n", 'line 1: the value starts with a quote', { B: 'x\\n' }],
    ['backticks', 'B=`x"\'`\n', 'line 1: the value starts with a quote', { B: 'x"\'' }],
    [
      'a multi-line quoted value',
      'B="l1\nl2"\nC=3\n',
      'line 1: the value starts with a quote',
      { B: 'l1\nl2', C: '3' },
    ],
    ['export', 'export B=1\n', 'line 1: the key is not a valid environment variable name', { B: '1' }],
    ['an inline comment', 'B=value # note\n', { B: 'value # note' }, "line 1: the unquoted value holds ' #'"],
    [
      'trailing blanks',
      'B=value \n',
      { B: 'value ' },
      'line 1: the unquoted value starts or ends with whitespace',
    ],
    [
      'leading blanks',
      'B= value\n',
      { B: ' value' },
      'line 1: the unquoted value starts or ends with whitespace',
    ],
    [
      'a lone carriage return',
      'B=a\rb\n',
      { B: 'a\rb' },
      'line 1: the unquoted value holds a carriage return',
    ],
    ['a bare KEY', 'B\n', { B: '<environment>' }, "line 1: KEY=VALUE expected, the line has no '='"],
  ])('%s', (_title, input, envFile, stdinEnv) => {
    expect(read('env-file', input)).toEqual(envFile)
    expect(read('stdin-env', input)).toEqual(stdinEnv)
  })
})

describe('--stdin-format=env quoting', () => {
  it.each<[string, string, Outcome]>([
    ['double quotes turn \\n and \\r into LF and CR', 'A="a\\nb\\rc"', { A: 'a\nb\rc' }],
    ['single quotes keep every byte', "A='a\\\"b #c'", { A: 'a\\"b #c' }],
    ['a comment after the closing quote', 'A=\'x\' # note\nB="y"#n', { A: 'x', B: 'y' }],
    ['CRLF line breaks inside quotes are kept', "A='l1\r\nl2'\r\nB=2\r\n", { A: 'l1\r\nl2', B: '2' }],
    ['an empty quoted value', 'A=""', { A: '' }],
    ['# inside quotes', "A='pa #ss'", { A: 'pa #ss' }],
    ['leading blanks inside quotes', "A='  x  '", { A: '  x  ' }],
    [
      'any other backslash in double quotes',
      'A=1\nB="a\\"b"',
      'line 2: a backslash in a double-quoted value must be \\n or \\r',
    ],
    ['text after the closing quote', "A='x'y", 'line 1: text after the closing quote'],
    ['a quote never closed', "A=1\nB='x\nC=2\n", 'line 2: the quote opened on this line is never closed'],
  ])('%s', (_title, input, expected) => {
    expect(read('stdin-env', input)).toEqual(expected)
  })

  it('non-UTF-8 bytes inside a multi-line value are refused with their line', () => {
    const bytes = Buffer.concat([Buffer.from("A='x\n"), Buffer.from([0xfe]), Buffer.from("'")])
    expect(read('stdin-env', bytes)).toEqual('line 2: not valid UTF-8')
  })

  it('values are copies: zeroing the input leaves them intact', () => {
    const input = Buffer.from("A='l1\nl2'\nB=x\n")
    const entries = parseStdinEnv(input)
    input.fill(0)
    expect(entries.map((e) => e.value.toString())).toEqual(['l1\nl2', 'x'])
  })

  it('errors never carry the value', () => {
    const err = thrown(() => parseStdinEnv(Buffer.from('A=SECRETVALUE # note')))
    expect(err.message).not.toContain('SECRETVALUE')
    expect(err.message).not.toContain('note')
  })
})

describe('dotenv agrees wherever the README says it does', () => {
  // Accepted by --stdin-format=env, with no '#' inside an unquoted value and no CR inside quotes:
  // the two documented differences from dotenv.
  it.each([
    'A=1\nB=two words\n',
    'export A=1\n',
    'A="x y"\nB=\'a\\nb\'\nC=`q"\'`\n',
    'A="l1\nl2"\n',
    'A="a\\nb\\rc"\n',
    "A='x' # note\n",
    'A=1\r\nB=2\r\n',
    'A=\nB=a"b\n',
    "A='pa #ss'\n",
    ' A=1\n\t B=2\n',
  ])('%j', (input) => {
    expect(read('stdin-env', input)).toEqual(dotenvParse(Buffer.from(input)))
  })

  it('where they differ, dotenv cuts the value and we keep it', () => {
    expect(dotenvParse(Buffer.from('PASSWORD=pa#ss#word'))).toEqual({ PASSWORD: 'pa' })
    expect(read('stdin-env', 'PASSWORD=pa#ss#word')).toEqual({ PASSWORD: 'pa#ss#word' })
  })
})
