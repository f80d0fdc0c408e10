import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../src/errors/cli-error.js'
import { parseStdinFormat } from '../../../src/sources/stdin-formats.js'
import { rejection } from '../../helpers/errors.js'

const asText = (entries: { key: string; value: Buffer }[]) =>
  entries.map((x) => [x.key, x.value.toString('utf8')])

describe('parseStdinFormat env', () => {
  it('reads KEY=VALUE lines with quotes, comments and multi-line values', async () => {
    const input =
      'USER=admin\n# comment\nPASS="p@ss word"\nexport TOKEN=abc\nMULTI="line1\nline2"\nSINGLE=\'x y\'\n'
    expect(asText(await parseStdinFormat('env', Buffer.from(input)))).toEqual([
      ['USER', 'admin'],
      ['PASS', 'p@ss word'],
      ['TOKEN', 'abc'],
      ['MULTI', 'line1\nline2'],
      ['SINGLE', 'x y'],
    ])
  })

  it('refuses input with no KEY=VALUE line', async () => {
    const err = await rejection(parseStdinFormat('env', Buffer.from('# only a comment\n\n')))
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe('--stdin-format=env: stdin holds no KEY=VALUE line')
  })
})

describe('parseStdinFormat json', () => {
  it('reads an object of strings', async () => {
    expect(
      asText(await parseStdinFormat('json', Buffer.from('{"user":"u","password":"p\\n\\u00e9"}'))),
    ).toEqual([
      ['user', 'u'],
      ['password', 'p\né'],
    ])
  })

  it.each([
    ['{"a":1}', 'number'],
    ['{"a":true}', 'boolean'],
    ['{"a":null}', 'null'],
    ['{"a":{"b":"c"}}', 'object'],
    ['{"a":["x"]}', 'object'],
  ])('refuses %s, naming the key and the type, never the value', async (input, type) => {
    const err = await rejection(parseStdinFormat('json', Buffer.from(`{"ok":"fine-value",${input.slice(1)}`)))
    expect(err.message).toBe(`--stdin-format=json: the value of "a" is a ${type}, not a string`)
    expect(err.message).not.toContain('fine-value')
  })

  it.each(['"just a string"', '["a","b"]', 'null', '42'])('refuses %s: not an object', async (input) => {
    const err = await rejection(parseStdinFormat('json', Buffer.from(input)))
    expect(err.message).toMatch(/^--stdin-format=json: stdin must hold a JSON object of strings/)
    expect(err.message).not.toContain('just a string')
  })

  it('refuses an empty object', async () => {
    const err = await rejection(parseStdinFormat('json', Buffer.from('{}')))
    expect(err.message).toBe('--stdin-format=json: the object on stdin is empty')
  })

  it.each([
    '{"password": SUPERSECRETVALUE}',
    '{"password": "SUPERSECRETVALUE"',
    'SUPERSECRETVALUE',
    '{"password": "SUPERSECRETVALUE",}',
    'password=SUPERSECRETVALUE',
  ])('invalid JSON %j: the error carries no text of the input', async (input) => {
    const err = await rejection(parseStdinFormat('json', Buffer.from(input)))
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toMatch(/^--stdin-format=json: stdin is not valid JSON( \(at byte \d+\))?$/)
    expect(err.message).not.toContain('SUPERSECRET')
    expect(err.message).not.toContain('password')
    expect((err as UsageError).hint ?? '').not.toContain('SUPERSECRET')
    expect(err.cause).toBeUndefined()
  })

  // Regression (found by these tests, fixed in 26f7afa): JSON.parse gives a UTF-16 index, which the
  // message called a byte offset. For '{"é": "a",}' the offending '}' is at byte 11, character 10.
  it('a position is given as a byte offset', async () => {
    const input = Buffer.from('{"é": "a",}')
    const err = await rejection(parseStdinFormat('json', input))
    expect(err.message).toBe('--stdin-format=json: stdin is not valid JSON (at byte 11)')
    expect(input.indexOf('}')).toBe(11)
  })
})

describe('parseStdinFormat json keeps every byte or refuses', () => {
  it.each([
    ['{"a":"1","b":"2","a":"3"}', 'a'],
    ['{"a":"1", "\\u0061":"3"}', 'a'],
    ['{"__proto__":"1","__proto__":"2"}', '__proto__'],
  ])('a key given twice is refused, naming the key: %s', async (input, key) => {
    const err = await rejection(parseStdinFormat('json', Buffer.from(input)))
    expect(err.message).toBe(`--stdin-format=json: the key "${key}" is given twice`)
  })

  it('keys and values holding quotes and backslashes are not mistaken for duplicates', async () => {
    const input = JSON.stringify({ 'a"b': 'x\\"', 'a\\': '"a"', c: 'a' })
    expect(asText(await parseStdinFormat('json', Buffer.from(input)))).toEqual([
      ['a"b', 'x\\"'],
      ['a\\', '"a"'],
      ['c', 'a'],
    ])
  })

  it('bytes that are not UTF-8 are refused with their line', async () => {
    const input = Buffer.concat([Buffer.from('{\n"a": "x'), Buffer.from([0xff]), Buffer.from('"\n}')])
    const err = await rejection(parseStdinFormat('json', input))
    expect(err.message).toBe('--stdin-format=json: line 2: not valid UTF-8')
  })

  it('a leading BOM is ignored', async () => {
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"é"}')])
    expect(asText(await parseStdinFormat('json', input))).toEqual([['a', 'é']])
  })

  it.each(['{"a":"\\ud800"}', '{"a":"x\\udc00y"}'])(
    'a \\u escape of half a surrogate pair is refused: UTF-8 cannot hold it (%s)',
    async (input) => {
      const err = await rejection(parseStdinFormat('json', Buffer.from(input)))
      expect(err.message).toMatch(/the value of "a" holds a \\u escape of half a surrogate pair/)
    },
  )

  it('a full surrogate pair is one character', async () => {
    expect(asText(await parseStdinFormat('json', Buffer.from('{"a":"\\ud83d\\ude00"}')))).toEqual([
      ['a', '😀'],
    ])
  })
})
