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
 * The closing line over one or more vitest runs (each a report and its exit
 * code), with the extra checks (type check, lint) counted as tests.
 * @param {{results: any, rc: number}[]} runs
 * @returns {{lines: string[], failed: number}}
 */
function summarize(runs, { extraPassed = 0, extraFailed = 0, ci = false } = {}) {
  const lines = []
  let passed = extraPassed
  let failed = extraFailed
  let skipped = 0
  for (const { results, rc } of runs) {
    const c = countTests(results)
    for (const f of c.failedFiles)
      lines.push(`failed without a failing test (did not load, or a hook threw): ${f}`)
    passed += c.passed
    skipped += c.skipped
    // A run that failed with nothing counted (vitest crashed, a reporter broke) is one failure.
    failed += rc !== 0 && c.failed === 0 ? 1 : c.failed
  }
  if (ci && skipped > 0) {
    lines.push(`${skipped} test(s) skipped: under CI every test must run`)
    failed += skipped
    skipped = 0
  }
  lines.push(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
  return { lines, failed }
}

// Arguments: FILE EXTRA_PASSED EXTRA_FAILED VITEST_RC [FILE VITEST_RC]... (one pair per
// further vitest run, e.g. the Node 22 compatibility run).
const [file, extraPassed = '0', extraFailed = '0', vitestRc = '0', ...moreRuns] = process.argv.slice(2)
const runs = [{ file, rc: vitestRc }]
for (let i = 0; i < moreRuns.length; i += 2) runs.push({ file: moreRuns[i], rc: moreRuns[i + 1] ?? '1' })
const read = (f) => (f && existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined)
const { lines, failed } = summarize(
  runs.map((r) => ({ results: read(r.file), rc: Number(r.rc) })),
  { extraPassed: Number(extraPassed), extraFailed: Number(extraFailed), ci: Boolean(process.env.CI) },
)
for (const line of lines) console.log(line)
process.exitCode = failed > 0 ? 1 : 0
