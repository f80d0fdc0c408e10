/**
 * Runs a command under `strace -f` and checks the security rules on what it
 * did: a marker value may be read (from stdin, a file, the keychain) but never
 * written, never in argv, and nothing may be opened for writing, renamed or
 * unlinked on the file system.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { ControlPlaneState } from '../cluster/control-plane.js'
import { pluginEnv, type RunOptions, type RunResult, run } from './plugin.js'
import { tempDir } from './values.js'

export interface StraceRun {
  result: RunResult
  lines: string[]
}

const SYSCALLS = [
  'execve',
  'open',
  'openat',
  'creat',
  'write',
  'writev',
  'pwrite64',
  'pwritev',
  'sendto',
  'sendmsg',
  'rename',
  'renameat',
  'renameat2',
  'unlink',
  'unlinkat',
  'truncate',
  'ftruncate',
  'read',
  'pread64',
  'readv',
  'recvfrom',
  'recvmsg',
]

export async function runUnderStrace(
  command: string,
  args: string[],
  options: RunOptions,
): Promise<StraceRun> {
  const log = path.join(tempDir('strace'), 'trace.log')
  const result = await run(
    'strace',
    ['-f', '-qq', '-v', '-s', '2000000', '-e', `trace=${SYSCALLS.join(',')}`, '-o', log, command, ...args],
    { ...options, timeoutMs: options.timeoutMs ?? 120_000 },
  )
  return { result, lines: readFileSync(log, 'utf8').split('\n') }
}

/** `kubectl safe-secret ARGS` as kubectl() in plugin.ts runs it, under strace. */
export function safeSecretUnderStrace(
  cluster: ControlPlaneState,
  args: string[],
  options: RunOptions = {},
): Promise<StraceRun> {
  return runUnderStrace(path.join(cluster.binDir, 'kubectl'), ['safe-secret', ...args], {
    ...options,
    env: { ...pluginEnv(cluster), ...options.env },
    cleanEnv: true,
  })
}

/** The forms a value can take in a syscall argument as strace prints it. */
export function markerForms(marker: string): string[] {
  return [marker, Buffer.from(marker).toString('base64').replace(/=+$/, '')]
}

const READ_CALL = /^\d+\s+(read|pread64|readv|recvfrom|recvmsg)\(/
const WRITE_FLAGS = /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/
/** Paths that may be opened for writing: none of them is a regular file on disk. */
const ALLOWED_WRITE_OPENS = [
  /^\/dev\/null$/,
  /^\/dev\/tty$/,
  /^\/dev\/pts\/\d+$/,
  /^\/dev\/urandom$/,
  /^\/proc\/self\//,
  /^\/proc\/\d+\//,
]

export interface Violation {
  rule: string
  line: string
}

/** Every way a run broke the rules; empty when it kept them. */
export function findViolations(
  lines: string[],
  marker: string,
  options: { envMayReach?: (file: string, argv: string) => boolean } = {},
): Violation[] {
  const forms = markerForms(marker)
  const violations: Violation[] = []
  for (const line of lines) {
    if (line.trim() === '') continue
    const holdsMarker = forms.some((f) => line.includes(f))
    const exec = /^\d+\s+execve\("([^"]*)", \[(.*?)\], (.*)$/.exec(line)
    if (holdsMarker && exec) {
      // -v prints envp too. A CI system injects --from-env's variable into the environment of kubectl,
      // which passes it to the plugin: those execs may carry it in envp, never in argv, and no other exec may.
      const inArgv = forms.some((f) => (exec[2] ?? '').includes(f))
      const allowed = !inArgv && options.envMayReach?.(exec[1] ?? '', exec[2] ?? '')
      if (!allowed)
        violations.push({ rule: 'marker in the argv or environment of an exec', line: short(line) })
    } else if (holdsMarker && !READ_CALL.test(line)) {
      violations.push({ rule: 'marker in a syscall other than a read', line: short(line) })
    }
    const open = /^\d+\s+(?:open|openat|creat)\((?:AT_FDCWD, )?"([^"]*)"(.*)$/.exec(line)
    if (open && (line.includes('creat(') || WRITE_FLAGS.test(open[2] ?? ''))) {
      const file = open[1] as string
      if (!ALLOWED_WRITE_OPENS.some((re) => re.test(file))) {
        violations.push({ rule: 'a file opened for writing', line: short(line) })
      }
    }
    if (/^\d+\s+(rename|renameat|renameat2|unlink|unlinkat|truncate)\(/.test(line) && !/= -1 /.test(line)) {
      violations.push({ rule: 'a rename, unlink or truncate', line: short(line) })
    }
  }
  return violations
}

function short(line: string): string {
  return line.length > 300 ? `${line.slice(0, 300)}...` : line
}
