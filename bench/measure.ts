/** Measuring one run of a command (bench/measure.py: wall time, CPU time, peak RSS) and summarising runs. */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface Sample {
  wallMs: number
  maxRssKiB: number
  userMs: number
  sysMs: number
  exitCode: number
}

export type Measured = Sample & { stdout: string; stderr: string }

export function measure(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin?: Buffer,
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [fileURLToPath(new URL('./measure.py', import.meta.url)), cmd, ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    const fd3: Buffer[] = []
    child.stdout?.on('data', (c: Buffer) => out.push(c))
    child.stderr?.on('data', (c: Buffer) => err.push(c))
    ;(child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => fd3.push(c))
    child.on('error', reject)
    child.on('close', () => {
      const raw = Buffer.concat(fd3).toString()
      if (!raw) return reject(new Error(`no measurement for ${cmd} ${args.join(' ')}`))
      resolve({
        ...(JSON.parse(raw) as Sample),
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      })
    })
    child.stdin?.on('error', () => {})
    child.stdin?.end(stdin)
  })
}

export interface Stats {
  runs: number
  /** user + sys CPU time of the process, median: less sensitive to a busy machine than wall time. */
  cpuMedianMs: number
  medianMs: number
  minMs: number
  maxMs: number
  peakRssMiB: number
}

/** The median of values sorted in ascending order. */
export function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export function stats(samples: Sample[]): Stats {
  const w = samples.map((s) => s.wallMs).sort((a, b) => a - b)
  const cpu = samples.map((s) => s.userMs + s.sysMs).sort((a, b) => a - b)
  return {
    runs: w.length,
    cpuMedianMs: round(median(cpu)),
    medianMs: round(median(w)),
    minMs: round(w[0] as number),
    maxMs: round(w[w.length - 1] as number),
    peakRssMiB: round(Math.max(...samples.map((s) => s.maxRssKiB)) / 1024),
  }
}

export const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d
