/**
 * `npx tsx bench/echo-off.ts [--runs 10]`: how long a terminal echoes keys
 * after `kubectl safe-secret create ... --from-prompt=...` starts, before the
 * CLI turns echo off (src/cli/type-ahead.ts). In a real terminal (tmux), under
 * `strace --seccomp-bpf -f -ttt -e trace=execve,ioctl`: from kubectl's execve,
 * and from the plugin's own execve, to the first ioctl that sets the terminal
 * without ECHO. strace adds its own cost to each traced call; the figures are
 * an upper bound. No cluster is needed: echo goes off before anything is read.
 * A report, not a test.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ensureBinaries } from '../test/cluster/control-plane.js'
import { tempDir } from '../test/helpers/values.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '10' } } })
const binDir = ensureBinaries()
const dir = tempDir('echo-off')
const env = {
  PATH: [path.join(root, 'bin'), binDir, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
  HOME: dir,
  TERM: 'xterm-256color',
  KUBECONFIG: path.join(dir, 'none'),
}
// One tmux server per run: a new one on a socket just killed can fail to start.
const tmux = (run: number, ...args: string[]) =>
  execFileSync('tmux', ['-L', `safe-secret-echo-off-${process.pid}-${run}`, ...args], {
    env,
    encoding: 'utf8',
  })

interface Run {
  fromKubectl: number
  fromPlugin: number
}

function once(i: number): Run {
  const trace = path.join(dir, `trace-${i}`)
  tmux(
    i,
    'new-session',
    '-d',
    '-s',
    'main',
    `strace --seccomp-bpf -f -ttt -e trace=execve,ioctl -o ${trace} kubectl safe-secret create x --from-prompt=k; sleep 60`,
  )
  try {
    const deadline = Date.now() + 20_000
    let lines: string[] = []
    while (Date.now() < deadline) {
      lines = readTrace(trace)
      if (lines.some(isEchoOff)) break
      execFileSync('sleep', ['0.05'])
    }
    const time = (line: string | undefined) => Number(line?.split(/\s+/)[1])
    // strace may split an execve into `<unfinished ...>` and `<... execve resumed>`: the call's start counts.
    const kubectl = lines.find((l) => /execve\("[^"]*\/kubectl"/.test(l))
    const plugin = lines.find((l) => /execve\("[^"]*\/kubectl-safe_secret"/.test(l))
    const off = lines.find(isEchoOff)
    if (!kubectl || !plugin || !off) throw new Error(`no kubectl execve or no echo-off ioctl in ${trace}`)
    return { fromKubectl: (time(off) - time(kubectl)) * 1000, fromPlugin: (time(off) - time(plugin)) * 1000 }
  } finally {
    tmux(i, 'kill-server')
  }
}

function readTrace(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n')
  } catch {
    return []
  }
}

/** An ioctl that sets the terminal (TCSETS, TCSETSW, TCSETSF) with a c_lflag without ECHO. */
function isEchoOff(line: string): boolean {
  const m = /ioctl\(\d+, (?:[A-Z_]+ or )?TCSETS[WF]?, \{.*?c_lflag=([A-Z|]*)/.exec(line)
  return m !== null && !(m[1] ?? '').split('|').includes('ECHO')
}

const runs = Array.from({ length: Number(opts.runs) }, (_, i) => once(i))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
const report = (label: string, xs: number[]) =>
  `${label}: median ${median(xs).toFixed(1)} ms, min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}`
process.stdout.write(`exec to echo off, ${runs.length} runs under strace (an upper bound)\n`)
process.stdout.write(
  `${report(
    'from kubectl execve',
    runs.map((r) => r.fromKubectl),
  )}\n`,
)
process.stdout.write(
  `${report(
    'from the plugin execve',
    runs.map((r) => r.fromPlugin),
  )}\n`,
)
rmSync(dir, { recursive: true, force: true })
