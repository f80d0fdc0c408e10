/**
 * Runs the plugin exactly as users do: the real `kubectl` (the one built with
 * the control plane, first on PATH) finds bin/kubectl-safe_secret on PATH and
 * execs it. HOME is a fresh temporary directory so no user config leaks in.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ControlPlaneState } from '../cluster/control-plane.js'
import { tempDir } from './values.js'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const pluginBinDir = path.join(repoRoot, 'bin')

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  stdoutBytes: Buffer
}

export interface RunOptions {
  stdin?: string | Buffer
  env?: Record<string, string | undefined>
  /** Replace the environment entirely instead of extending the test one. */
  cleanEnv?: boolean
  cwd?: string
  timeoutMs?: number
}

/**
 * The clean environment a plugin runs in, in the tests and in the bench: PATH
 * (FIRST, then the control plane's kubectl, the running Node before the system's,
 * so it is the Node that runs the plugin), HOME, KUBECONFIG and LANG only. (The
 * machine's NODE_EXTRA_CA_CERTS, for one, would cost every Node 20 process ~35 ms.)
 */
export function isolatedEnv(
  cluster: ControlPlaneState,
  home: string,
  first: string[],
): Record<string, string> {
  return {
    PATH: [
      ...first,
      cluster.binDir,
      path.dirname(process.execPath),
      '/usr/local/bin',
      '/usr/bin',
      '/bin',
    ].join(':'),
    HOME: home,
    KUBECONFIG: cluster.kubeconfig,
    LANG: 'C.UTF-8',
  }
}

export function pluginEnv(cluster: ControlPlaneState, extra: Record<string, string | undefined> = {}) {
  return { ...isolatedEnv(cluster, tempDir('home'), [pluginBinDir]), ...extra }
}

export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env = options.cleanEnv ? { ...options.env } : { ...process.env, ...options.env }
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k]
    const child = spawn(command, args, {
      env: env as NodeJS.ProcessEnv,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const stdoutBytes = Buffer.concat(out)
      resolve({
        code,
        signal,
        stdout: stdoutBytes.toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        stdoutBytes,
      })
    })
    child.stdin.on('error', () => {
      // The child may exit before reading stdin: that is a result, not a test failure.
    })
    if (options.stdin !== undefined) child.stdin.end(options.stdin)
    else child.stdin.end()
  })
}

/** `kubectl safe-secret ARGS` through the real kubectl, against the test control plane. */
export function safeSecret(
  cluster: ControlPlaneState,
  args: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  return kubectl(cluster, ['safe-secret', ...args], options)
}

export function kubectl(
  cluster: ControlPlaneState,
  args: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const env = { ...pluginEnv(cluster), ...options.env }
  return run(path.join(cluster.binDir, 'kubectl'), args, { ...options, env, cleanEnv: true })
}
