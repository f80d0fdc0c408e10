/** Runs the CLI with a test fault point on, and returns once it has stopped there. */
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import type { ControlPlaneState } from '../cluster/control-plane.js'
import { pluginEnv } from './plugin.js'

/**
 * `kubectl safe-secret ARGS` with SAFE_SECRET_TEST_FAULT=after-timer: resolves
 * with the child once its timer Job exists and its Secret does not yet (the CLI
 * hangs there until killed).
 */
export async function startStoppedAfterTimer(
  cluster: ControlPlaneState,
  args: string[],
  stdin: string,
): Promise<ChildProcess> {
  const child = spawn(path.join(cluster.binDir, 'kubectl'), ['safe-secret', ...args], {
    env: { ...pluginEnv(cluster), SAFE_SECRET_TEST_FAULT: 'after-timer' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdin?.end(stdin)
  let stderr = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no fault marker; stderr: ${stderr}`)), 60_000)
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString()
      if (stderr.includes('safe-secret-test-fault: after-timer')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.on('exit', () => reject(new Error(`exited before the fault point; stderr: ${stderr}`)))
  })
  return child
}
