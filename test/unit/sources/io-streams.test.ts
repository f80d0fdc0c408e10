import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import {
  canPrompt,
  type IOStreams,
  readAll,
  trimOneTrailingNewline,
} from '../../../src/sources/io-streams.js'

const b = (s: string) => Buffer.from(s, 'binary')

describe('trimOneTrailingNewline', () => {
  it.each([
    ['value\n', 'value'],
    ['value\r\n', 'value'],
    ['value\n\n', 'value\n'],
    ['value\r\n\r\n', 'value\r\n'],
    ['value', 'value'],
    ['value\r', 'value\r'],
    ['\n', ''],
    ['\r\n', ''],
    ['', ''],
    ['a\nb', 'a\nb'],
  ])('%j -> %j', (input, expected) => {
    expect(trimOneTrailingNewline(b(input)).toString('binary')).toBe(expected)
  })

  it('zeroes the bytes it cuts, without copying the rest', () => {
    const buf = b('abc\r\n')
    const out = trimOneTrailingNewline(buf)
    expect(out.buffer).toBe(buf.buffer)
    expect([...buf.subarray(3)]).toEqual([0, 0])
  })
})

describe('readAll', () => {
  it('is binary-safe: all 256 byte values, split across chunks', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const input = Buffer.from(all)
    const stream = new PassThrough()
    stream.write(input.subarray(0, 100))
    stream.write(input.subarray(100, 101))
    stream.end(input.subarray(101))
    const got = await readAll(stream)
    expect(got.equals(all)).toBe(true)
  })

  it('zeroes the chunks it read once they are copied', async () => {
    const input = Buffer.from('chunk-secret')
    const stream = new PassThrough()
    stream.end(input)
    const got = await readAll(stream)
    expect(got.toString()).toBe('chunk-secret')
    expect([...input].every((x) => x === 0)).toBe(true)
  })

  it('reads an empty stream as an empty buffer', async () => {
    const stream = new PassThrough()
    stream.end()
    expect((await readAll(stream)).length).toBe(0)
  })

  it('accepts string chunks', async () => {
    const stream = new PassThrough({ encoding: 'utf8' })
    stream.end('héllo')
    expect((await readAll(stream)).toString('utf8')).toBe('héllo')
  })
})

describe('canPrompt', () => {
  const io = (stdinTTY: boolean, stderrTTY: boolean): IOStreams => {
    const stdin = Object.assign(new PassThrough(), { isTTY: stdinTTY })
    const stderr = Object.assign(new PassThrough(), { isTTY: stderrTTY })
    return { stdin, stdout: new PassThrough(), stderr }
  }
  it('needs both stdin and stderr to be terminals', () => {
    expect(canPrompt(io(true, true))).toBe(true)
    expect(canPrompt(io(true, false))).toBe(false)
    expect(canPrompt(io(false, true))).toBe(false)
  })
})
