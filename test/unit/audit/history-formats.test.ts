import { describe, expect, it } from 'vitest'
import { parseHistory, splitLines, withoutEntries } from '../../../src/audit/local/history-formats.js'

const text = (s: string) => splitLines(Buffer.from(s, 'latin1'))

describe('history formats', () => {
  it('bash: one entry per line, continuation lines and heredocs joined', () => {
    const e = parseHistory('bash', text('ls\nkubectl a \\\n  b\ncat <<EOF\nx\nEOF\npwd\n'))
    expect(e.map((x) => [x.firstLine, x.lastLine, x.command])).toEqual([
      [0, 0, 'ls'],
      [1, 2, 'kubectl a \\\n  b'],
      [3, 5, 'cat <<EOF\nx\nEOF'],
      [6, 6, 'pwd'],
    ])
  })

  it('bash with timestamps: the #ts line belongs to the entry, which may span lines', () => {
    const e = parseHistory('bash', text('#1764000000\nls\n#1764000001\na\nb\n'))
    expect(e.map((x) => [x.firstLine, x.lastLine, x.commandLine, x.command])).toEqual([
      [0, 1, 1, 'ls'],
      [2, 4, 3, 'a\nb'],
    ])
  })

  it('zsh extended: `: ts:d;cmd`, backslash-newline inside an entry', () => {
    const e = parseHistory('zsh', text(': 1:0;ls\n: 2:0;a \\\nb\n: 3:0;c\n'))
    expect(e.map((x) => [x.firstLine, x.lastLine, x.command])).toEqual([
      [0, 0, 'ls'],
      [1, 2, 'a \nb'],
      [3, 3, 'c'],
    ])
  })

  it('zsh plain', () => {
    const e = parseHistory('zsh', text('ls\na\\\nb\n'))
    expect(e.map((x) => x.command)).toEqual(['ls', 'a\nb'])
  })

  it('a HISTFILE in zsh extended format is read as zsh', () => {
    expect(parseHistory('bash', text(': 1:0;a \\\nb\n')).map((x) => x.command)).toEqual(['a \nb'])
  })

  it('fish: entries with when/paths lines, escaped newlines and backslashes', () => {
    const e = parseHistory(
      'fish',
      text('- cmd: a\\nb\n  when: 1\n- cmd: c \\\\ d\n  when: 2\n  paths:\n    - /x\n'),
    )
    expect(e.map((x) => [x.firstLine, x.lastLine, x.command])).toEqual([
      [0, 1, 'a\nb'],
      [2, 5, 'c \\ d'],
    ])
  })

  it('withoutEntries keeps every other byte, and the final newline or its absence', () => {
    const t = text('a\nb\xff\nc')
    const e = parseHistory('bash', t)
    expect(withoutEntries(t, [e[0] as never]).toString('latin1')).toBe('b\xff\nc')
    const t2 = text('a\nb\n')
    expect(withoutEntries(t2, [parseHistory('bash', t2)[1] as never]).toString('latin1')).toBe('a\n')
    expect(withoutEntries(t2, parseHistory('bash', t2)).toString('latin1')).toBe('')
  })
})
