import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { keepMemoryOutOfCoreDumps } from '../../../src/cli/core-dumps.js'
import { mayPrompt } from '../../../src/cli/type-ahead.js'

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..')

describe('mayPrompt: decided from argv alone, before any parsing', () => {
  it.each([
    [['create', 'db', '--from-prompt=password'], true],
    [['create', 'db', '--from-prompt', 'password'], true],
    [['-n', 'prod', 'create', 'db', '--confirm', '--from-prompt=a'], true],
    [['keychain', 'set', 'svc', 'acct'], true],
    [['-n', 'x', 'keychain', 'set', 'svc', 'acct', '--overwrite'], true],
    [['create', 'db', '--from-stdin=password'], false],
    [['create', 'db', '--from-prompt=password', '--help'], false],
    [['keychain', 'set', '-h'], false],
    [['keychain', 'list'], false],
    [['list'], false],
    [[], false],
  ])('%j -> %s', (argv, expected) => {
    expect(mayPrompt(argv)).toBe(expected)
  })
})

describe('keepMemoryOutOfCoreDumps', () => {
  it.runIf(process.platform === 'linux')('sets this process coredump_filter to 0', () => {
    // In a child, so the test runner keeps its own setting.
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        "import('./src/cli/core-dumps.ts').then((m) => { m.keepMemoryOutOfCoreDumps(); process.stdout.write(require('node:fs').readFileSync('/proc/self/coredump_filter', 'utf8')) })",
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    )
    expect(out.trim()).toBe('00000000')
    expect(readFileSync('/proc/self/coredump_filter', 'utf8').trim()).not.toBe('00000000')
  })

  it('does nothing off Linux', () => {
    expect(keepMemoryOutOfCoreDumps('darwin')).toBe(false)
  })
})
