import { describe, expect, it } from 'vitest'
import {
  parseWarningHeaders,
  stderrAllowsColor,
  WarningPrinter,
  warningValues,
} from '../../../src/kube/warnings.js'

describe('parseWarningHeaders: the API server Warning header, as client-go parses it', () => {
  it('reads code, agent and text, with or without a date, and several warnings in one value', () => {
    expect(
      parseWarningHeaders([
        '299 - "policy says no"',
        '299 kube-apiserver "a \\"quoted\\" word, and a comma" "Wed, 02 Dec 2026 12:00:00 GMT", 199 - "second"',
      ]),
    ).toEqual([
      { code: 299, agent: '-', text: 'policy says no' },
      { code: 299, agent: 'kube-apiserver', text: 'a "quoted" word, and a comma' },
      { code: 199, agent: '-', text: 'second' },
    ])
  })

  it('drops the rest of a value at the first malformed warning, and goes on with the next value', () => {
    expect(
      parseWarningHeaders([
        '299 - "kept", 99 - "bad code", 299 - "lost"',
        '299 - "unterminated',
        '299 -',
        '299 - "after" junk',
        '299 - "next value"',
      ]),
    ).toEqual([
      { code: 299, agent: '-', text: 'kept' },
      { code: 299, agent: '-', text: 'next value' },
    ])
  })

  it('refuses a text with a control character, which could move the cursor or rewrite a line', () => {
    expect(parseWarningHeaders(['299 - "clear\u001b[2Jscreen"', '299 - "bell\u0007"'])).toEqual([])
  })
})

describe('WarningPrinter: what kubectl prints', () => {
  const raw = (...values: string[]) => values.flatMap((v) => ['Warning', v])

  it('prints each 299 text once per run, and nothing else', () => {
    const lines: string[] = []
    const printer = new WarningPrinter((l) => lines.push(l), false)
    printer.handle([
      'Content-Type',
      'application/json',
      ...raw('299 - "once"', '199 - "not 299"', '299 - ""'),
    ])
    printer.handle(raw('299 - "once"', '299 - "twice"'))
    expect(lines).toEqual(['Warning: once\n', 'Warning: twice\n'])
  })

  it('colours "Warning:" bold yellow only on a terminal whose TERM is not dumb', () => {
    const lines: string[] = []
    new WarningPrinter((l) => lines.push(l), true).handle(raw('299 - "x"'))
    expect(lines).toEqual(['\u001b[33;1mWarning:\u001b[0m x\n'])
    expect(stderrAllowsColor({ isTTY: true }, { TERM: 'xterm' })).toBe(true)
    expect(stderrAllowsColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false)
    expect(stderrAllowsColor({ isTTY: undefined }, { TERM: 'xterm' })).toBe(false)
  })

  it('keeps repeated Warning headers apart (Node joins them with commas in res.headers)', () => {
    expect(warningValues(['warning', '299 - "a"', 'Date', 'x', 'Warning', '299 - "b"'])).toEqual([
      '299 - "a"',
      '299 - "b"',
    ])
  })
})
