/**
 * Fault injection for end-to-end tests only. Off unless the environment
 * variable SAFE_SECRET_TEST_FAULT names a point; nothing else can turn it on.
 *
 *   after-timer   the timer Job exists, the Secret does not yet: print a marker
 *                 line to stderr and hang, so the test can kill -9 the CLI here.
 *   fail-secret   the Secret's creation fails right after the timer is made,
 *                 so the test can check the timer is deleted again.
 */
export const FAULT_ENV = 'SAFE_SECRET_TEST_FAULT'
export const FAULT_MARKER = 'safe-secret-test-fault:'

export type FaultPoint = 'after-timer' | 'fail-secret'

export function faultEnabled(point: FaultPoint, env: NodeJS.ProcessEnv = process.env): boolean {
  return env[FAULT_ENV] === point
}

/** At `after-timer`: announce and never return (the test kills the process). */
export async function hangForTest(detail: string): Promise<never> {
  process.stderr.write(`${FAULT_MARKER} after-timer ${detail}\n`)
  await new Promise<never>(() => {
    // Keeps the event loop alive until the test kills the process.
    setInterval(() => {}, 1 << 30)
  })
  throw new Error('unreachable')
}
