import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { guardStream, REDACTED, Redactor } from '../../../src/output/redaction-point.js'
import { base64Bytes, quotedBytes, valueForms } from '../../../src/output/value-forms.js'

describe('value forms', () => {
  it('encodes base64 as Node does, in every alphabet and padding', () => {
    for (let n = 0; n < 40; n++) {
      const value = Buffer.from(Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 255))
      expect(base64Bytes(value, 'standard', true).toString()).toBe(value.toString('base64'))
      expect(base64Bytes(value, 'standard', false).toString()).toBe(
        value.toString('base64').replace(/=+$/, ''),
      )
      expect(base64Bytes(value, 'url', false).toString()).toBe(value.toString('base64url'))
    }
  })

  it('escapes as JSON.stringify, Go encoding/json and Go %q do', () => {
    const text = 'a"b\\c\nd\te<f>&g\u0001h\u2028i\u0007'
    const value = Buffer.from(text)
    expect(quotedBytes(value, 'json').toString()).toBe(JSON.stringify(text).slice(1, -1))
    expect(quotedBytes(value, 'go-json').toString()).toBe(
      'a\\"b\\\\c\\nd\\te\\u003cf\\u003e\\u0026g\\u0001h\\u2028i\\u0007',
    )
    expect(quotedBytes(value, 'go-quote').toString()).toBe('a\\"b\\\\c\\nd\\te<f>&g\\x01h\u2028i\\a')
  })

  it('skips values shorter than 4 bytes and lists each distinct form once, longest first', () => {
    expect(valueForms(Buffer.from('abc'))).toEqual([])
    const forms = valueForms(Buffer.from('abcd')).map((f) => f.toString())
    expect(forms).toEqual(['YWJjZA==', 'YWJjZA', 'abcd'])
  })
})

describe('Redactor', () => {
  const value = 'P@ss!w0rd+/"\\\n<é>'
  const forms = [
    value,
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64').replace(/=+$/, ''),
    Buffer.from(value).toString('base64url'),
    JSON.stringify(value).slice(1, -1),
    JSON.stringify(value).slice(1, -1).replace(/</g, '\\u003c').replace(/>/g, '\\u003e'),
  ]

  it('replaces every form of a known value, wherever it sits in the text', () => {
    const redactor = new Redactor()
    redactor.remember(Buffer.from(value))
    for (const form of forms) {
      const text = `error: denied: "${form}" and again ${form}.`
      expect(redactor.redact(Buffer.from(text)).toString()).toBe(
        `error: denied: "${REDACTED}" and again ${REDACTED}.`,
      )
    }
  })

  it('returns the same Buffer when there is nothing to hide, and forgets on request', () => {
    const redactor = new Redactor()
    redactor.remember(Buffer.from('s3cr3t-value'))
    const clean = Buffer.from('nothing here')
    expect(redactor.redact(clean)).toBe(clean)
    expect(redactor.active).toBe(true)
    redactor.forget()
    expect(redactor.active).toBe(false)
    expect(redactor.redact(Buffer.from('s3cr3t-value')).toString()).toBe('s3cr3t-value')
  })

  it('merges overlapping matches of two values into one', () => {
    const redactor = new Redactor()
    redactor.remember(Buffer.from('abcdef'))
    redactor.remember(Buffer.from('defghi'))
    expect(redactor.redact(Buffer.from('x abcdefghi y')).toString()).toBe(`x ${REDACTED} y`)
  })

  it('guards a stream: strings, Buffers and callbacks', async () => {
    const redactor = new Redactor()
    const stream = new PassThrough()
    guardStream(stream, redactor)
    const out: Buffer[] = []
    stream.on('data', (c: Buffer) => out.push(c))
    stream.write('before: hunter2hunter2\n')
    redactor.remember(Buffer.from('hunter2hunter2'))
    stream.write('after: hunter2hunter2\n')
    stream.write(Buffer.from('b64: aHVudGVyMmh1bnRlcjI=\n'))
    await new Promise<void>((resolve) => stream.write('plain\n', 'utf8', () => resolve()))
    await new Promise<void>((resolve) => stream.write('cb: hunter2hunter2\n', () => resolve()))
    expect(Buffer.concat(out).toString()).toBe(
      `before: hunter2hunter2\nafter: ${REDACTED}\nb64: ${REDACTED}\nplain\ncb: ${REDACTED}\n`,
    )
  })
})
