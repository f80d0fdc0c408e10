// Reads vitest's JSON results and prints the one line CI reads:
// `tests: N passed, N failed`. Under CI a skipped test counts as failed,
// because an end-to-end test must never skip there.
import { existsSync, readFileSync } from 'node:fs'

const [file, extraPassed = '0', extraFailed = '0', vitestRc = '0'] = process.argv.slice(2)
let passed = Number(extraPassed)
let failed = Number(extraFailed)
let skipped = 0
if (existsSync(file)) {
  const results = JSON.parse(readFileSync(file, 'utf8'))
  passed += results.numPassedTests ?? 0
  failed += (results.numFailedTests ?? 0) + (results.numFailedTestSuites ?? 0)
  skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0)
  if ((results.numTotalTests ?? 0) === 0) failed += 1
} else {
  failed += 1
}
if (vitestRc !== '0' && failed === 0) failed += 1
if (process.env.CI && skipped > 0) {
  console.log(`${skipped} test(s) skipped: under CI every test must run`)
  failed += skipped
  skipped = 0
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exitCode = failed > 0 ? 1 : 0
