import { describe, expect, it } from 'vitest'
import { guardReport } from '../../../src/cli/guard.js'
import { ConnectionError } from '../../../src/errors/cli-error.js'

describe('the process guard', () => {
  it('an unhandled failure is one error line, with its hint', () => {
    const err = new ConnectionError('refused', 'The connection to the server h:1 was refused', {
      hint: 'check it',
    })
    expect(guardReport(err, [], false)).toBe(
      'error: The connection to the server h:1 was refused\nhint: check it\n',
    )
  })
  it('a plain Error is one line without its stack; with --debug the stack follows', () => {
    const err = new Error('boom\nsecond line')
    expect(guardReport(err, [], false)).toBe('error: boom\n')
    // --debug adds the stack's frames, not its first line: that repeats the message (src/errors/present.ts).
    expect(guardReport(err, ['--debug'], false)).toMatch(/^error: boom\n\s+at /)
  })
  it('after a reported failure, a later one prints nothing (only its stack under --debug)', () => {
    const err = new Error('late P@ss!typed')
    expect(guardReport(err, [], true)).toBe('')
    // Only the frames: the message line could quote what was typed.
    expect(guardReport(err, ['--debug'], true)).toMatch(/^\s+at /)
    expect(guardReport(err, ['--debug'], true)).not.toContain('P@ss!typed')
  })
})
