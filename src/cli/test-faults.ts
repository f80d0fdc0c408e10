/**
 * Fault injection for end-to-end tests only. Off unless the environment
 * variable SAFE_SECRET_TEST_FAULT names a point; nothing else can turn it on.
 *
 *   after-timer   the timer Job exists, the Secret does not yet: print a marker
 *                 line to stderr and hang, so the test can kill -9 the CLI here.
 *   fail-secret   the Secret's creation fails right after the timer is made,
 *                 so the test can check the timer is deleted again.
 *   before-replace  `create --overwrite` has read the Secret and not yet written
 *                 it: print a marker line and wait for SIGUSR2, so the test can
 *                 change the Secret in between (the resourceVersion guard).
 *   slow-prompt   wait 8 s before showing a hidden prompt, as a loaded machine
 *                 does, so the test can type ahead in that window.
 */
export const FAULT_ENV = 'SAFE_SECRET_TEST_FAULT'
export const FAULT_MARKER = 'safe-secret-test-fault:'

export type FaultPoint = 'after-timer' | 'fail-secret' | 'before-replace' | 'slow-prompt'

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

/** At `before-replace`: announce, then wait until the test sends SIGUSR2. */
export async function pauseForTest(point: FaultPoint, detail: string): Promise<void> {
  await new Promise<void>((resolve) => {
    // A signal listener does not keep Node's event loop alive: a timer does.
    const keepAlive = setInterval(() => {}, 1 << 30)
    process.once('SIGUSR2', () => {
      clearInterval(keepAlive)
      resolve()
    })
    process.stderr.write(`${FAULT_MARKER} ${point} ${detail}\n`)
  })
}

/** At `slow-prompt`: the delay before the prompt appears. */
export async function slowPromptForTest(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 8000))
}
