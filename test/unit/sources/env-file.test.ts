import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../src/errors/cli-error.js'
import { parseEnvFile } from '../../../src/sources/env-file.js'
import { thrown } from '../../helpers/errors.js'

const BOM = Buffer.from([0xef, 0xbb, 0xbf])
const parse = (content: string | Buffer) =>
  parseEnvFile(typeof content === 'string' ? Buffer.from(content) : content, '/x/app.env').map((x) => ({
    key: x.key,
    value: x.value?.toString('utf8'),
    line: x.line,
  }))

describe('parseEnvFile: kubectl env_file_test.go cases', () => {
  it('the UTF-8 BOM is trimmed on the first line', () => {
    expect(parse(Buffer.concat([BOM, Buffer.from('a=c')]))).toEqual([{ key: 'a', value: 'c', line: 1 }])
  })

  it('the UTF-8 BOM is NOT trimmed on the second line: invalid key', () => {
    const err = thrown(() => parse(Buffer.concat([Buffer.from('x=1\n'), BOM, Buffer.from('a=c')])))
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe('env file /x/app.env line 2: the key is not a valid environment variable name')
  })

  it('no key is returned on a comment line', () => {
    expect(parse(' #c')).toEqual([])
  })

  it('no key is returned on a blank line', () => {
    expect(parse('  \t')).toEqual([])
  })

  it('key is returned even with no value', () => {
    expect(parse(' x=')).toEqual([{ key: 'x', value: '', line: 1 }])
  })

  it('a bare KEY has no value: it comes from the environment', () => {
    const [entry] = parseEnvFile(Buffer.from('k8s_test_env_file_key'), 'f')
    expect(entry).toEqual({ key: 'k8s_test_env_file_key', line: 1 })
    expect(entry && 'value' in entry && entry.value !== undefined).toBe(false)
  })
})

describe('parseEnvFile: the rest of kubectl AddFromEnvFile', () => {
  it('create_secret_test.go env file: key1=value1, #, blank, key2=value2', () => {
    expect(parse('key1=value1\n#\n\nkey2=value2\n')).toEqual([
      { key: 'key1', value: 'value1', line: 1 },
      { key: 'key2', value: 'value2', line: 4 },
    ])
  })

  it('leading whitespace is dropped, the value is verbatim (kubectl: "   key1=  value1")', () => {
    expect(parse('   key1=  value1')).toEqual([{ key: 'key1', value: '  value1', line: 1 }])
  })

  it('the value is taken verbatim: =, inner quotes, #, trailing spaces, backslashes', () => {
    expect(parse(`a==b=c\nb=x"quoted"\nc=pa#ss#word\nd=x # not a comment\ne=trail  \nf=\\n`)).toEqual([
      { key: 'a', value: '=b=c', line: 1 },
      { key: 'b', value: 'x"quoted"', line: 2 },
      { key: 'c', value: 'pa#ss#word', line: 3 },
      { key: 'd', value: 'x # not a comment', line: 4 },
      { key: 'e', value: 'trail  ', line: 5 },
      { key: 'f', value: '\\n', line: 6 },
    ])
  })

  it.each([`b="quoted"`, `b='single'`, 'b=`back`', 'b="open'])(
    'a value starting with a quote (%s) is refused: kubectl keeps the quote, --stdin-format=env removes it',
    (line) => {
      const err = thrown(() => parse(`a=1\n${line}\n`))
      expect(err.message).toBe('env file /x/app.env line 2: the value starts with a quote')
      expect((err as UsageError).hint).toMatch(/kubectl would keep the quotes/)
    },
  )

  it('a key given twice is refused, naming the key and both lines', () => {
    expect(thrown(() => parse('a=1\n#\nb=2\na=3')).message).toBe(
      'env file /x/app.env line 4: the key "a" is given twice (first on line 1)',
    )
    expect(thrown(() => parse('a\na=3')).message).toMatch(/line 2: the key "a" is given twice/)
  })

  it('leading whitespace is what Go unicode.IsSpace trims: NO-BREAK SPACE and IDEOGRAPHIC SPACE too', () => {
    expect(parse('\u00a0\u3000\t a=1')).toEqual([{ key: 'a', value: '1', line: 1 }])
  })

  it('CRLF line endings: the \\r is dropped, as bufio.ScanLines does', () => {
    expect(parse('a=1\r\nb=2\r\n')).toEqual([
      { key: 'a', value: '1', line: 1 },
      { key: 'b', value: '2', line: 2 },
    ])
    expect(parse('a=1\r')).toEqual([{ key: 'a', value: '1', line: 1 }])
  })

  it('only one trailing \\r is dropped', () => {
    expect(parse('a=1\r\r\n')).toEqual([{ key: 'a', value: '1\r', line: 1 }])
  })

  it('an empty file and a file of newlines give nothing', () => {
    expect(parse('')).toEqual([])
    expect(parse('\n\n\r\n')).toEqual([])
  })

  it('the last line needs no newline', () => {
    expect(parse('a=1\nb=2')).toEqual([
      { key: 'a', value: '1', line: 1 },
      { key: 'b', value: '2', line: 2 },
    ])
  })

  it('keys may hold -, . and _ and not start with a digit', () => {
    expect(parse('my.env-name=1\nMY_ENV.NAME=2\n_x=3\n-y=4').map((x) => x.key)).toEqual([
      'my.env-name',
      'MY_ENV.NAME',
      '_x',
      '-y',
    ])
  })

  it.each(['1abc=v', 'a b=v', 'a:b=v', '=v', 'ключ=v'])(
    'an invalid key %j fails, without quoting the line',
    (line) => {
      const err = thrown(() => parse(`ok=1\n${line}`))
      expect(err.message).toBe('env file /x/app.env line 2: the key is not a valid environment variable name')
      expect(err.message).not.toContain(line)
      expect((err as UsageError).hint).toMatch(/may not start with a digit/)
    },
  )

  it('an "export KEY=value" line is refused (the key holds a space), as in kubectl', () => {
    expect(() => parse('export TOKEN=abc')).toThrow(
      /line 1: the key is not a valid environment variable name/,
    )
  })

  it('a bare line that looks like a pasted value is refused without echoing it', () => {
    const err = thrown(() => parse('hunter2 is my password'))
    expect(err.message).not.toContain('hunter2')
  })

  it('invalid UTF-8 is refused with the line number and never the bytes', () => {
    const content = Buffer.concat([
      Buffer.from('a=1\nb=SECRET'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\n'),
    ])
    const err = thrown(() => parseEnvFile(content, '/x/app.env'))
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe('env file /x/app.env line 2: not valid UTF-8')
    expect(err.message).not.toContain('SECRET')
  })

  it('values are independent copies of the bytes', () => {
    const content = Buffer.from('a=xyz')
    const [entry] = parseEnvFile(content, 'f')
    content.fill(0)
    expect(entry?.value?.toString()).toBe('xyz')
  })

  it('invalid UTF-8 in a comment line is refused too, as kubectl does', () => {
    const content = Buffer.concat([Buffer.from('a=1\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')])
    expect(thrown(() => parseEnvFile(content, 'f')).message).toBe('env file f line 2: not valid UTF-8')
  })

  it('multi-byte UTF-8 values survive', () => {
    expect(parse('a=héllo ☃')).toEqual([{ key: 'a', value: 'héllo ☃', line: 1 }])
  })
})
