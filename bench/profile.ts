/**
 * `npm run bench -- --profile [--profile-runs 5]`: where create's milliseconds go.
 *
 * Builds both shipped forms unminified: the npm package's bundle, and the krew
 * single executable (startup snapshot, the release's Node binary). esbuild then
 * writes a `// path` comment before each module, which attributes every sampled
 * function to its module and package. Each form runs `create NAME --from-stdin=k`
 * through kubectl with NODE_OPTIONS="--cpu-prof ..." (a single executable honours
 * NODE_OPTIONS like node does). The report gives the mean self time per run by
 * package, module and function.
 *
 * The profile covers what V8 runs from the profiler's start to exit. Process
 * start-up before it (for the executable, perhaps deserialising the snapshot), and
 * kubectl's own start, fall in "outside the profile" = wall time − profile span.
 * Minification changes parse and compile time a little: compare the wall times
 * here with `npm run bench`'s before reading milliseconds across.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ControlPlaneState } from '../test/cluster/control-plane.js'
import { apiClient } from './cluster.js'
import { measure, median, type Sample, stats } from './measure.js'
import { buildSea } from './sea.js'

/** V8's .cpuprofile (the format of `node --cpu-prof`). */
interface CpuProfile {
  nodes: {
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
    children?: number[]
  }[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** Sampling interval in µs (node's default is 1000: too coarse for a 100 ms run). */
const INTERVAL_US = 100

interface Form {
  name: string
  what: string
  pathDir: string
}

function buildForms(root: string, work: string): Form[] {
  const bundleScript = path.join(root, 'scripts', 'bundle.mjs')
  // The npm package: bin/ without src/ next to it runs dist/bundle (compile cache on).
  const pkg = path.join(work, 'bundle')
  mkdirSync(path.join(pkg, 'bin'), { recursive: true })
  copyFileSync(path.join(root, 'bin', 'kubectl-safe_secret'), path.join(pkg, 'bin', 'kubectl-safe_secret'))
  chmodSync(path.join(pkg, 'bin', 'kubectl-safe_secret'), 0o755)
  copyFileSync(path.join(root, 'package.json'), path.join(pkg, 'package.json'))
  execFileSync(
    process.execPath,
    [bundleScript, '--outdir', path.join(pkg, 'dist', 'bundle'), '--no-minify', '--quiet'],
    { stdio: 'inherit' },
  )
  // The krew executable: the snapshot bundle release-build.mjs embeds, unminified.
  const seaSrc = path.join(work, 'sea-src')
  execFileSync(
    process.execPath,
    [bundleScript, '--format', 'cjs', '--snapshot', '--outdir', seaSrc, '--no-minify', '--quiet'],
    { stdio: 'inherit' },
  )
  const sea = path.join(work, 'sea')
  buildSea(root, path.join(seaSrc, 'kubectl-safe_secret.cjs'), path.join(sea, 'kubectl-safe_secret'), {
    snapshot: true,
    codeCache: true,
  })
  return [
    { name: 'sea', what: 'krew single executable, startup snapshot', pathDir: sea },
    { name: 'bundle', what: 'npm package, compile cache warm', pathDir: path.join(pkg, 'bin') },
  ]
}

/**
 * Where each line of a bundle comes from: esbuild's unminified output starts
 * every module with `// <path>`. Lines before the first one are its runtime helpers.
 */
class ModuleMap {
  private readonly files = new Map<string, { lines: string[]; marks: { line: number; module: string }[] }>()

  constructor(private readonly searchDirs: string[]) {}

  /** The module of URL at LINE (0-based), or undefined when URL is not one of our bundles. */
  moduleAt(url: string, line: number): string | undefined {
    const bundle = this.load(url)
    if (!bundle) return undefined
    let found = '(bundle runtime)'
    for (const mark of bundle.marks) {
      if (mark.line > line) break
      found = mark.module
    }
    return found
  }

  /** The start of the source line, to recognise a function without opening the bundle. */
  codeAt(url: string, line: number): string {
    const text = this.load(url)?.lines[line]?.trim() ?? ''
    return text.length > 60 ? `${text.slice(0, 57)}...` : text
  }

  private load(url: string) {
    const file = this.resolve(url)
    if (!file) return undefined
    let bundle = this.files.get(file)
    if (!bundle) {
      const lines = readFileSync(file, 'utf8').split('\n')
      const marks: { line: number; module: string }[] = []
      for (const [i, text] of lines.entries()) {
        // `// node_modules/pkg/file.js`, `// src/x.ts`, `// deferred:node:https` (bundle.mjs's stubs).
        const m = /^\/\/ (\S*[/:]\S*)$/.exec(text)
        if (m) marks.push({ line: i, module: m[1] as string })
      }
      bundle = { lines, marks }
      this.files.set(file, bundle)
    }
    return bundle
  }

  private resolve(url: string): string | undefined {
    if (url.startsWith('file://')) return fileURLToPath(url)
    if (!url || url.startsWith('node:')) return undefined
    // A single executable names its main script by the path its SEA config gave.
    for (const dir of this.searchDirs) {
      const file = path.resolve(dir, url)
      if (existsSync(file)) return file
    }
    return undefined
  }
}

/** node_modules/@scope/pkg/..., node_modules/pkg/..., src/<area>/...: the unit a lever acts on. */
function packageOf(module: string): string {
  const parts = module.split('/')
  const nm = parts.lastIndexOf('node_modules')
  if (nm >= 0) return parts.slice(nm + 1, parts[nm + 1]?.startsWith('@') ? nm + 3 : nm + 2).join('/')
  if (parts[0] === 'src') return parts.slice(0, parts.length > 2 ? 2 : 1).join('/')
  return module
}

type Totals = Map<string, number>

const add = (totals: Totals, key: string, us: number) => totals.set(key, (totals.get(key) ?? 0) + us)

interface Attribution {
  packages: Totals
  modules: Totals
  functions: Totals
  /** For each function, where it was reached from: the nearest caller in one of our bundles. */
  callers: Map<string, Totals>
}

/** Self time (µs) of every sample, by package, module and function, summed into TOTALS. */
function attribute(profile: CpuProfile, modules: ModuleMap, totals: Attribution): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  /** The nearest frame above ID in a bundle module: what in our bundle led to a Node built-in. */
  const reachedFrom = (id: number): string => {
    for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
      const f = byId.get(p)
      const module = f && modules.moduleAt(f.url, f.lineNumber)
      if (f && module) return `${f.functionName || '(anonymous)'} ${module}:${f.lineNumber + 1}`
    }
    return '(none)'
  }
  for (const [i, id] of profile.samples.entries()) {
    // A sample's self time runs until the next sample.
    const us = profile.timeDeltas[i + 1] ?? 0
    const frame = byId.get(id)
    if (!frame) continue
    const name = frame.functionName || '(anonymous)'
    const module = modules.moduleAt(frame.url, frame.lineNumber)
    let pkg: string
    let mod: string
    if (module) {
      mod = module
      pkg = packageOf(module)
    } else if (frame.url.startsWith('node:')) {
      mod = frame.url
      pkg = 'node: (Node built-ins)'
    } else if (!frame.url) {
      // (program): native code outside JS (bootstrap, compiling, I/O set-up);
      // (garbage collector); (idle): waiting, e.g. for the API server.
      mod = name.startsWith('(') ? name : `(native) ${name}`
      pkg = mod.startsWith('(native)') ? '(native functions)' : mod
    } else {
      mod = frame.url
      pkg = frame.url
    }
    add(totals.packages, pkg, us)
    add(totals.modules, mod, us)
    const code = module
      ? ` \`${modules.codeAt(frame.url, frame.lineNumber).replaceAll('`', "'").replaceAll('|', '\\|')}\``
      : ''
    const key = frame.url ? `${name} ${mod}:${frame.lineNumber + 1}${code}` : mod
    add(totals.functions, key, us)
    const callers = totals.callers.get(key) ?? new Map()
    add(callers, reachedFrom(id), us)
    totals.callers.set(key, callers)
  }
}

const ms = (us: number) => Math.round(us / 100) / 10

export async function profileCreate({
  root,
  work,
  cluster,
  runs,
  log,
}: {
  root: string
  work: string
  cluster: ControlPlaneState
  runs: number
  log: (msg: string) => void
}): Promise<void> {
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  log('profile: building the bundle and the single executable, unminified')
  const forms = buildForms(root, work)
  const home = path.join(work, 'home')
  mkdirSync(home, { recursive: true })
  const kubectl = path.join(cluster.binDir, 'kubectl')
  const api = apiClient(cluster)
  const ns = `bench-profile-${randomBytes(3).toString('hex')}`
  await api('POST', '/api/v1/namespaces', { metadata: { name: ns } })
  const report: Record<string, unknown>[] = []
  const lines: string[] = []
  let seq = 0
  try {
    for (const form of forms) {
      const profDir = path.join(work, 'profiles', form.name)
      mkdirSync(profDir, { recursive: true })
      const env: NodeJS.ProcessEnv = {
        PATH: [form.pathDir, cluster.binDir, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
        HOME: home,
        KUBECONFIG: cluster.kubeconfig,
        LANG: 'C.UTF-8',
      }
      const create = async (profile: boolean) => {
        const r = await measure(
          kubectl,
          ['safe-secret', 'create', `p-${form.name}-${seq++}`, '--from-stdin=k', '-n', ns],
          profile
            ? {
                ...env,
                NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profDir} --cpu-prof-interval=${INTERVAL_US}`,
              }
            : env,
          Buffer.from(randomBytes(32).toString('hex')),
        )
        if (r.exitCode !== 0)
          throw new Error(`${form.name} create exited ${r.exitCode}: ${r.stderr.slice(0, 500)}`)
        return r
      }
      log(`profile: ${form.name}, 2 warm-up runs, then ${runs} under --cpu-prof`)
      for (let i = 0; i < 2; i++) await create(false)
      const samples: Sample[] = []
      for (let i = 0; i < runs; i++) samples.push(await create(true))
      const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'))
      if (files.length !== runs)
        throw new Error(`${form.name}: ${files.length} profiles for ${runs} runs in ${profDir}`)
      const modules = new ModuleMap([path.join(work, 'sea-src'), path.join(work, 'sea')])
      const totals: Attribution = {
        packages: new Map(),
        modules: new Map(),
        functions: new Map(),
        callers: new Map(),
      }
      const spans: number[] = []
      for (const f of files) {
        const profile = JSON.parse(readFileSync(path.join(profDir, f), 'utf8')) as CpuProfile
        spans.push(profile.endTime - profile.startTime)
        attribute(profile, modules, totals)
      }
      const measured = stats(samples)
      const spanMs = ms(median(spans.sort((a, b) => a - b)))
      const sampled = [...totals.packages.values()].reduce((a, b) => a + b, 0)
      const top = (t: Totals, n: number) =>
        [...t]
          .sort((a, b) => b[1] - a[1])
          .slice(0, n)
          .map(([key, us]) => ({
            key,
            us,
            msPerRun: ms(us / runs),
            share: Math.round((us / sampled) * 1000) / 10,
          }))
      const result = {
        form: form.name,
        what: form.what,
        runs,
        wallMedianMs: measured.medianMs,
        cpuMedianMs: measured.cpuMedianMs,
        profileSpanMedianMs: spanMs,
        profiles: files.map((f) => path.join(profDir, f)),
        packages: top(totals.packages, 20).map(({ us: _, ...row }) => row),
        modules: top(totals.modules, 25).map(({ us: _, ...row }) => row),
        functions: top(totals.functions, 25).map((f) => {
          // Its main caller in our bundles, with the share of the function's time through it.
          const [caller, us] = [...(totals.callers.get(f.key) ?? [])].sort((a, b) => b[1] - a[1])[0] ?? [
            '(none)',
            0,
          ]
          return {
            key: f.key,
            msPerRun: f.msPerRun,
            share: f.share,
            reachedFrom: `${caller} (${Math.round((us / f.us) * 100)}%)`,
          }
        }),
      }
      report.push(result)
      lines.push(
        `## ${form.name}: ${form.what}`,
        '',
        `${runs} runs of create through kubectl under --cpu-prof (${INTERVAL_US} µs): wall median ${result.wallMedianMs} ms, CPU (user + sys, kubectl and plugin) ${result.cpuMedianMs} ms, profile span ${spanMs} ms (the rest of the wall time is kubectl, process start-up before the profiler, and exit). Mean self ms per run, sampled on the wall clock: when the machine is busy, time the process waited for a CPU lands on whatever it was running, so read the shares, not the sums, unless CPU ≈ wall.`,
      )
      for (const [title, rows] of [
        ['Package', result.packages],
        ['Module', result.modules],
      ] as const) {
        lines.push('', `| ${title} | self ms | share |`, '| --- | --- | --- |')
        for (const r of rows) lines.push(`| ${r.key} | ${r.msPerRun} | ${r.share}% |`)
      }
      lines.push(
        '',
        '| Function | self ms | share | reached from (nearest caller in the bundle, its part) |',
        '| --- | --- | --- | --- |',
      )
      for (const r of result.functions)
        lines.push(`| ${r.key} | ${r.msPerRun} | ${r.share}% | ${r.reachedFrom} |`)
      lines.push('')
    }
  } finally {
    await api('DELETE', `/api/v1/namespaces/${ns}`).catch(() => {})
  }
  const out = path.join(work, 'profile.json')
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), report }, null, 2)}\n`)
  process.stdout.write(`${lines.join('\n')}\n`)
  log(`wrote ${path.relative(root, out)} (the .cpuprofile files open in Chrome DevTools' Performance panel)`)
}
