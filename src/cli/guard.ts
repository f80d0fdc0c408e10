import { presentError, stackFrames } from '../errors/present.js'

/**
 * The process-wide last line of defence: an exception or a promise rejection
 * that no command handled still ends as one `error:` line (the stack only with
 * --debug) and exit code 1, never as Node's stack trace. Once a failure has been
 * reported, a later one (a request that was still in flight when the first
 * failed) adds nothing: one failure, one line.
 */

const REPORTED = Symbol.for('kubectl-safe-secret.failure-reported')

type Flagged = typeof globalThis & { [REPORTED]?: boolean }

/** Called by whoever printed a failure, so that the guard stays silent about what follows. */
export function markFailureReported(): void {
  ;(globalThis as Flagged)[REPORTED] = true
}

export function failureReported(): boolean {
  return (globalThis as Flagged)[REPORTED] === true
}

/** What the guard prints for an unhandled failure, or nothing when one was already reported; pure. */
export function guardReport(err: unknown, argv: readonly string[], alreadyReported: boolean): string {
  const debug = argv.includes('--debug')
  // Frames only: a stack's first line repeats the message, which may quote what was typed.
  if (alreadyReported) return debug && err instanceof Error && err.stack ? `${stackFrames(err.stack)}\n` : ''
  return presentError(err, debug).text
}

export function installProcessGuard(
  proc: Pick<NodeJS.Process, 'on' | 'argv' | 'exit'> & { stderr: NodeJS.WritableStream } = process,
): void {
  const onFailure = (err: unknown) => {
    const already = failureReported()
    const text = guardReport(err, proc.argv, already)
    if (text) proc.stderr.write(text)
    // The first failure keeps the exit code it was reported with.
    if (already) return
    markFailureReported()
    // Node's own default for both events is to end the process: keep that, with code 1.
    proc.exit(1)
  }
  proc.on('uncaughtException', onFailure)
  proc.on('unhandledRejection', onFailure)
}
