/**
 * `npm run bench:reap`: case 5 of `npm run bench` alone, repeated. A reap -A of
 * N expired Secrets in 20 namespaces by each shipped form, through kubectl as
 * users run it: bundle (the npm package) and sea (the krew linux/amd64 single
 * executable), alternating bundle, sea, bundle, sea ... RUNS times, each on a
 * fresh seeding. Reports deletions per second (of the wall time), CPU time and
 * peak RSS per run and the medians, and writes bench/reap-results.json.
 *
 *   npm run bench:reap [-- --sizes 10000] [--runs 3] [--skip-build] [--own-cluster]
 *
 * A report, not a test: nothing here asserts a time.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { isolatedEnv } from '../test/helpers/plugin.js'
import { apiClient, countManaged, seed, withCluster } from './cluster.js'
import { measure, median, round } from './measure.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
    'skip-build': { type: 'boolean', default: false },
    'own-cluster': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(root, 'bench', 'reap-results.json') },
  },
})
const SIZES = opts.sizes.split(',').map(Number)
const RUNS = Number(opts.runs)
if (!SIZES.every((n) => Number.isInteger(n) && n > 0) || !(Number.isInteger(RUNS) && RUNS > 0))
  throw new Error('--sizes and --runs expect positive integers')
const work = path.join(root, 'node_modules', '.cache', 'safe-secret-bench-reap')
const log = (msg: string) => process.stderr.write(`bench:reap: ${msg}\n`)

/** The two shipped forms, each as `kubectl-safe_secret` in a directory for PATH (as bench/run.ts builds them). */
function buildForms(): Record<'bundle' | 'sea', string> {
  const bundleBin = path.join(work, 'bundle', 'bin')
  const seaDir = path.join(work, 'sea')
  if (!opts['skip-build']) {
    log('building the bundle and the single executable')
    rmSync(work, { recursive: true, force: true })
    mkdirSync(bundleBin, { recursive: true })
    copyFileSync(path.join(root, 'bin', 'kubectl-safe_secret'), path.join(bundleBin, 'kubectl-safe_secret'))
    chmodSync(path.join(bundleBin, 'kubectl-safe_secret'), 0o755)
    copyFileSync(path.join(root, 'package.json'), path.join(work, 'bundle', 'package.json'))
    const node = process.execPath
    const script = (name: string) => path.join(root, 'scripts', name)
    execFileSync(
      node,
      [script('bundle.mjs'), '--outdir', path.join(work, 'bundle', 'dist', 'bundle'), '--quiet'],
      {
        stdio: 'inherit',
      },
    )
    const release = path.join(work, 'sea-release')
    // Its stderr (Node's snapshot and postject warnings) is shown only on failure.
    execFileSync(node, [script('release-build.mjs'), '--platforms', 'linux/amd64', '--outdir', release], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    mkdirSync(seaDir, { recursive: true })
    copyFileSync(
      path.join(release, 'build', 'linux_amd64', 'kubectl-safe_secret'),
      path.join(seaDir, 'kubectl-safe_secret'),
    )
    chmodSync(path.join(seaDir, 'kubectl-safe_secret'), 0o755)
  }
  return { bundle: bundleBin, sea: seaDir }
}

interface Run {
  form: string
  size: number
  deletionsPerSecond: number
  wallMs: number
  cpuMs: number
  rssMiB: number
  left: number
}

await withCluster(root, opts['own-cluster'], log, async (cluster) => {
  const forms = buildForms()
  const api = apiClient(cluster)
  const home = path.join(work, 'home')
  mkdirSync(home, { recursive: true })
  const kubectl = path.join(cluster.binDir, 'kubectl')
  const loadBefore = os.loadavg().map((l) => round(l, 2))
  const runs: Run[] = []
  // One set of namespaces, reused: a reap leaves them empty, and deleting them
  // between runs would load the API server during the next one.
  const prefix = `bench-reap-${process.pid}`
  let namespaces: string[] = []
  try {
    for (const size of SIZES) {
      for (let i = 0; i < RUNS; i++) {
        for (const [form, dir] of Object.entries(forms)) {
          namespaces = await seed(api, prefix, size, new Date(Date.now() - 3600_000), 20, log)
          const env = isolatedEnv(cluster, home, [dir])
          const s = await measure(kubectl, ['safe-secret', 'reap', '-A'], env)
          if (s.exitCode !== 0)
            throw new Error(`reap [${form}] exited ${s.exitCode}: ${s.stderr.slice(0, 500)}`)
          const left = await countManaged(api, prefix)
          const run: Run = {
            form,
            size,
            deletionsPerSecond: round((size - left) / (s.wallMs / 1000), 0),
            wallMs: round(s.wallMs),
            cpuMs: round(s.userMs + s.sysMs),
            rssMiB: round(s.maxRssKiB / 1024),
            left,
          }
          runs.push(run)
          log(
            `${form} ${size}: ${run.deletionsPerSecond}/s, ${run.cpuMs} ms CPU, ${run.rssMiB} MiB, ${left} left`,
          )
        }
      }
    }
  } finally {
    for (const ns of namespaces) await api('DELETE', `/api/v1/namespaces/${ns}`).catch(() => {})
  }
  const lines = [
    '| Form | Secrets | deletions/s median (min–max) | CPU ms median | peak RSS MiB median (max) |',
  ]
  lines.push('| --- | --- | --- | --- | --- |')
  for (const size of SIZES) {
    for (const form of Object.keys(forms)) {
      const these = runs.filter((r) => r.form === form && r.size === size)
      const sorted = (f: (r: Run) => number) => these.map(f).sort((a, b) => a - b)
      const rate = sorted((r) => r.deletionsPerSecond)
      const rss = sorted((r) => r.rssMiB)
      lines.push(
        `| ${form} | ${size.toLocaleString('en')} | ${median(rate)} (${rate[0]}–${rate[rate.length - 1]}) | ${median(sorted((r) => r.cpuMs))} | ${median(rss)} (${rss[rss.length - 1]}) |`,
      )
    }
  }
  writeFileSync(
    opts.out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, loadBefore, loadAfter: os.loadavg().map((l) => round(l, 2)), runs }, null, 2)}\n`,
  )
  process.stdout.write(`${lines.join('\n')}\n`)
  log(`wrote ${path.relative(root, opts.out)}`)
})
