// Reads vitest's JSON results and prints the one line CI reads:
// `tests: N passed, N failed`. Under CI a skipped test counts as failed,
// because an end-to-end test must never skip there.
import { existsSync, readFileSync } from 'node:fs'

// Arguments: FILE EXTRA_PASSED EXTRA_FAILED VITEST_RC [FILE VITEST_RC]... (one pair per
// further vitest run, e.g. the Node 22 compatibility run).
const [file, extraPassed = '0', extraFailed = '0', vitestRc = '0', ...moreRuns] = process.argv.slice(2)
const runs = [[file, vitestRc]]
for (let i = 0; i < moreRuns.length; i += 2) runs.push([moreRuns[i], moreRuns[i + 1] ?? '1'])
let passed = Number(extraPassed)
let failed = Number(extraFailed)
let skipped = 0
for (const [runFile, rc] of runs) {
  let runFailed = 0
  if (existsSync(runFile)) {
    const results = JSON.parse(readFileSync(runFile, 'utf8'))
    passed += results.numPassedTests ?? 0
    runFailed += (results.numFailedTests ?? 0) + (results.numFailedTestSuites ?? 0)
    skipped += (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0)
    if ((results.numTotalTests ?? 0) === 0) runFailed += 1
  } else {
    runFailed += 1
  }
  if (rc !== '0' && runFailed === 0) runFailed += 1
  failed += runFailed
}
if (process.env.CI && skipped > 0) {
  console.log(`${skipped} test(s) skipped: under CI every test must run`)
  failed += skipped
  skipped = 0
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exitCode = failed > 0 ? 1 : 0
