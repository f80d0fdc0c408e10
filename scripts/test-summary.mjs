// Reads vitest's JSON results and prints the one line CI reads:
// `tests: N passed, N failed`. It counts tests, not suites: a failing test is
// one failure, and a file that failed without any failing test (it did not
// load, or a hook outside the tests threw) is one failure too. Under CI a
// skipped test counts as failed, because an end-to-end test must never skip there.
import { existsSync, readFileSync } from 'node:fs'

/**
 * @param {any} results vitest's JSON report (jest's format), or undefined when there is none
 * @returns {{passed: number, failed: number, skipped: number, failedFiles: string[]}}
 */
function countTests(results) {
  const counts = { passed: 0, failed: 0, skipped: 0, failedFiles: [] }
  if (!results) return { ...counts, failed: 1 }
  for (const file of results.testResults ?? []) {
    const tests = file.assertionResults ?? []
    let failedHere = 0
    for (const t of tests) {
      if (t.status === 'passed') counts.passed += 1
      else if (t.status === 'failed') failedHere += 1
      else counts.skipped += 1 // pending, skipped, todo, disabled
    }
    if (file.status === 'failed' && failedHere === 0) {
      failedHere = 1
      counts.failedFiles.push(file.name)
    }
    counts.failed += failedHere
  }
  // No test at all is a failure, not a pass.
  if (counts.passed + counts.failed + counts.skipped === 0) counts.failed += 1
  return counts
}

/**
 * The closing line, with the extra checks (type check, lint) counted as tests.
 * @returns {{lines: string[], failed: number}}
 */
function summarize(results, { extraPassed = 0, extraFailed = 0, vitestRc = 0, ci = false } = {}) {
  const c = countTests(results)
  const lines = c.failedFiles.map(
    (f) => `failed without a failing test (did not load, or a hook threw): ${f}`,
  )
  const passed = c.passed + extraPassed
  let failed = c.failed + extraFailed
  let skipped = c.skipped
  if (vitestRc !== 0 && failed === 0) failed += 1
  if (ci && skipped > 0) {
    lines.push(`${skipped} test(s) skipped: under CI every test must run`)
    failed += skipped
    skipped = 0
  }
  lines.push(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
  return { lines, failed }
}

const [file, extraPassed = '0', extraFailed = '0', vitestRc = '0'] = process.argv.slice(2)
const results = file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined
const { lines, failed } = summarize(results, {
  extraPassed: Number(extraPassed),
  extraFailed: Number(extraFailed),
  vitestRc: Number(vitestRc),
  ci: Boolean(process.env.CI),
})
for (const line of lines) console.log(line)
process.exitCode = failed > 0 ? 1 : 0
