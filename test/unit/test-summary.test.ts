/**
 * scripts/test-summary.mjs on a real vitest JSON report: vitest runs the
 * fixtures in test/fixtures/test-summary (a file that fails to load, a failing
 * test beside a passing one, a skipped test beside a passing one).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/plugin.js'

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'test-summary')
const tmp = mkdtempSync(path.join(tmpdir(), 'test-summary-'))
const report = path.join(tmp, 'vitest.json')
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function summary(file: string, args: string[] = [], ci = false) {
  const env = { ...process.env }
  delete env.CI
  const res = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'scripts', 'test-summary.mjs'), file, ...args],
    {
      encoding: 'utf8',
      env: ci ? { ...env, CI: 'true' } : env,
    },
  )
  return { lines: res.stdout.trim().split('\n'), code: res.status }
}

/** A report of one passing test. */
function cleanReport() {
  const file = path.join(tmp, 'clean.json')
  writeFileSync(
    file,
    JSON.stringify({
      testResults: [{ name: 'a.test.ts', status: 'passed', assertionResults: [{ status: 'passed' }] }],
    }),
  )
  return file
}

beforeAll(() => {
  const res = spawnSync(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'),
      'run',
      '--root',
      fixtures,
      '--config',
      path.join(fixtures, 'vitest.config.ts'),
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    { encoding: 'utf8', env: { ...process.env, CI: '' } },
  )
  // The fixtures fail on purpose.
  expect(res.status).toBe(1)
}, 60_000)

describe('test-summary', () => {
  it('counts tests, and a file that fails to load as one failure', () => {
    const { lines, code } = summary(report)
    expect(lines.at(-1)).toBe('tests: 2 passed, 2 failed, 1 skipped')
    expect(lines.join('\n')).toMatch(/did not load.*does-not-load\.fixture\.ts/)
    expect(code).toBe(1)
  })

  it('counts a skipped test as failed under CI', () => {
    const { lines } = summary(report, [], true)
    expect(lines).toContain('1 test(s) skipped: under CI every test must run')
    expect(lines.at(-1)).toBe('tests: 2 passed, 3 failed')
  })

  it('adds the type check and the lint, and passes when everything passed', () => {
    const clean = cleanReport()
    expect(summary(clean, ['2', '0', '0'], true)).toEqual({ lines: ['tests: 3 passed, 0 failed'], code: 0 })
    expect(summary(clean, ['1', '1', '0']).lines.at(-1)).toBe('tests: 2 passed, 1 failed')
  })

  it('adds further runs (FILE RC pairs), each counted the same way', () => {
    expect(summary(report, ['0', '0', '1', cleanReport(), '0']).lines.at(-1)).toBe(
      'tests: 3 passed, 2 failed, 1 skipped',
    )
    // A second run that left no report failed once, whatever its exit code.
    expect(summary(cleanReport(), ['0', '0', '0', path.join(tmp, 'none.json'), '1']).lines.at(-1)).toBe(
      'tests: 1 passed, 1 failed',
    )
  })

  it('fails when there is no report, no test, or vitest failed with nothing counted', () => {
    expect(summary(path.join(tmp, 'missing.json'))).toEqual({ lines: ['tests: 0 passed, 1 failed'], code: 1 })
    const empty = path.join(tmp, 'empty.json')
    writeFileSync(empty, JSON.stringify({ testResults: [] }))
    expect(summary(empty).lines.at(-1)).toBe('tests: 0 passed, 1 failed')
    expect(summary(cleanReport(), ['0', '0', '1']).lines.at(-1)).toBe('tests: 1 passed, 1 failed')
  })
})
