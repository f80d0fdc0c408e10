/**
 * `npm run bench`: kubectl safe-secret against kubectl on the local control
 * plane, side by side in one run (a warm-up, then A B A B ...), reporting the
 * median and min/max wall time, the ratio ours/kubectl and peak RSS, and the
 * effect of each start-up lever. Writes bench/results.json (git-ignored).
 *
 *   npm run bench [-- --runs 10] [--reap-sizes 2000,10000] [--skip-reap] [--skip-build] [--own-cluster]
 *
 * Uses the cluster of `npm run cluster:up` (.cluster/) when it is up, else
 * starts a fresh one and stops it at the end. Secret values travel on stdin.
 * A report, not a test: nothing here asserts a time.
 */
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import {
  type ControlPlaneState,
  isControlPlaneAlive,
  readControlPlaneState,
  startControlPlane,
  stopControlPlane,
} from '../test/cluster/control-plane.js'
import { apiClient, countManaged, seed } from './cluster.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    'list-runs': { type: 'string', default: '5' },
    'reap-sizes': { type: 'string', default: '2000,10000' },
    'skip-reap': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    'own-cluster': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(root, 'bench', 'results.json') },
  },
})
const RUNS = Number(opts.runs)
const LIST_RUNS = Number(opts['list-runs'])
const REAP_SIZES = opts['reap-sizes'].split(',').map(Number)
const NAMESPACES = 20
const work = path.join(root, 'node_modules', '.cache', 'safe-secret-bench')
const tag = randomBytes(3).toString('hex')
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`)

// ---------------------------------------------------------------------------
// Measuring one run

interface Sample {
  wallMs: number
  maxRssKiB: number
  userMs: number
  sysMs: number
  exitCode: number
}

function measure(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin?: Buffer,
): Promise<Sample & { stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [path.join(root, 'bench', 'measure.py'), cmd, ...args], {
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

interface Stats {
  runs: number
  /** user + sys CPU time of the process, median: less sensitive to a busy machine than wall time. */
  cpuMedianMs: number
  medianMs: number
  minMs: number
  maxMs: number
  peakRssMiB: number
}

/** The median of values sorted in ascending order. */
function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

function stats(samples: Sample[]): Stats {
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

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d

// ---------------------------------------------------------------------------
// The variants of our CLI, each as `kubectl-safe_secret` in its own directory

interface Variant {
  name: string
  what: string
  pathDir: string
}

function buildVariants(): Variant[] {
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const node = process.execPath
  if (!opts['skip-build']) {
    log('building: tsc (dist/), the bundle, the single executables')
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
  }
  // dev: the checkout as it runs from dist/ (tsc output), with and without oclif's manifest.
  const dev = path.join(work, 'dev')
  mkdirSync(path.join(dev, 'bin'), { recursive: true })
  for (const d of ['dist', 'node_modules', 'src']) symlinkSync(path.join(root, d), path.join(dev, d))
  copyFileSync(path.join(root, 'package.json'), path.join(dev, 'package.json'))
  copyFileSync(path.join(root, 'bin', 'kubectl-safe_secret'), path.join(dev, 'bin', 'kubectl-safe_secret'))
  chmodSync(path.join(dev, 'bin', 'kubectl-safe_secret'), 0o755)
  const noManifest = path.join(work, 'dev-no-manifest')
  execFileSync('cp', ['-a', dev, noManifest])
  execFileSync(node, [path.join(root, 'node_modules', 'oclif', 'bin', 'run.js'), 'manifest', '.'], {
    cwd: dev,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  // bundle: what `npm i -g` installs (no src/, so bin/ runs dist/bundle).
  const bundle = path.join(work, 'bundle')
  mkdirSync(path.join(bundle, 'bin'), { recursive: true })
  copyFileSync(path.join(root, 'bin', 'kubectl-safe_secret'), path.join(bundle, 'bin', 'kubectl-safe_secret'))
  chmodSync(path.join(bundle, 'bin', 'kubectl-safe_secret'), 0o755)
  copyFileSync(path.join(root, 'package.json'), path.join(bundle, 'package.json'))
  execFileSync(
    node,
    [path.join(root, 'scripts', 'bundle.mjs'), '--outdir', path.join(bundle, 'dist', 'bundle'), '--quiet'],
    {
      stdio: 'inherit',
    },
  )
  // bundle-no-pick: the same, keeping all of @kubernetes/client-node behind its dynamic import.
  const noPick = path.join(work, 'bundle-no-pick')
  execFileSync('cp', ['-a', bundle, noPick])
  execFileSync(
    node,
    [
      path.join(root, 'scripts', 'bundle.mjs'),
      '--no-pick',
      '--outdir',
      path.join(noPick, 'dist', 'bundle'),
      '--quiet',
    ],
    { stdio: 'inherit' },
  )
  // sea: the krew linux/amd64 executable, with and without V8's code cache.
  const seaDirs: Record<string, string> = {}
  for (const [name, extra] of [
    ['sea', []],
    ['sea-no-code-cache', ['--no-code-cache']],
  ] as const) {
    const out = path.join(work, `${name}-release`)
    execFileSync(
      node,
      [
        path.join(root, 'scripts', 'release-build.mjs'),
        '--platforms',
        'linux/amd64',
        '--outdir',
        out,
        ...extra,
      ],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    )
    const dir = path.join(work, name)
    mkdirSync(dir, { recursive: true })
    copyFileSync(
      path.join(out, 'build', 'linux_amd64', 'kubectl-safe_secret'),
      path.join(dir, 'kubectl-safe_secret'),
    )
    chmodSync(path.join(dir, 'kubectl-safe_secret'), 0o755)
    seaDirs[name] = dir
  }
  return [
    {
      name: 'dev-no-manifest',
      what: 'tsc output, oclif without its manifest',
      pathDir: path.join(noManifest, 'bin'),
    },
    { name: 'dev', what: 'tsc output, oclif manifest, lazy imports', pathDir: path.join(dev, 'bin') },
    {
      name: 'bundle-no-pick',
      what: 'esbuild bundle, whole client-node in its lazy chunk',
      pathDir: path.join(noPick, 'bin'),
    },
    { name: 'bundle', what: 'esbuild bundle (npm package)', pathDir: path.join(bundle, 'bin') },
    {
      name: 'sea-no-code-cache',
      what: 'single executable, no code cache',
      pathDir: seaDirs['sea-no-code-cache'] as string,
    },
    { name: 'sea', what: 'single executable + V8 code cache (krew)', pathDir: seaDirs.sea as string },
  ]
}

// ---------------------------------------------------------------------------

interface CaseResult {
  case: string
  ours: Stats & { variant: string }
  kubectl?: Stats
  ratio?: number
  ratioAgainst?: string
  note?: string
  extra?: Record<string, number | string>
}

async function main() {
  // The cluster: `npm run cluster:up`'s when it is up, else our own.
  let cluster: ControlPlaneState | undefined
  let owned = false
  const existing = opts['own-cluster']
    ? undefined
    : readControlPlaneState(path.join(root, '.cluster', 'state.json'))
  if (existing && isControlPlaneAlive(existing)) {
    cluster = existing
    log(`using the cluster of npm run cluster:up at ${existing.server}`)
  }
  if (!cluster) {
    log('starting a control plane (stopped at the end)')
    cluster = await startControlPlane()
    owned = true
  }
  const kubectlPath = path.join(cluster.binDir, 'kubectl')
  const api = apiClient(cluster)
  const home = path.join(work, 'home')
  const namespacesToDelete: string[] = []
  try {
    const variants = buildVariants()
    mkdirSync(home, { recursive: true })
    const floorDir = path.join(work, 'floor')
    writeFloorPlugin(floorDir)
    // A clean environment for every measured process: only what kubectl and the
    // plugin need. (NODE_EXTRA_CA_CERTS, for one, costs every Node process ~35 ms
    // here: see the start-up components.)
    const envFor = (variant?: Variant): NodeJS.ProcessEnv => ({
      PATH: [
        ...(variant ? [variant.pathDir] : []),
        floorDir,
        cluster?.binDir,
        path.dirname(process.execPath),
        '/usr/local/bin',
        '/usr/bin',
        '/bin',
      ].join(':'),
      HOME: home,
      KUBECONFIG: cluster?.kubeconfig,
      LANG: 'C.UTF-8',
    })
    const shipped = variants.find((v) => v.name === 'bundle') as Variant
    const sea = variants.find((v) => v.name === 'sea') as Variant
    const createNs = `bench-${tag}-create`
    namespacesToDelete.push(createNs)
    await api('POST', '/api/v1/namespaces', { metadata: { name: createNs } })

    let seq = 0
    const value = () => randomBytes(32).toString('hex') // travels on stdin only
    const ok = (s: Sample & { stderr: string }, what: string) => {
      if (s.exitCode !== 0) throw new Error(`${what} exited ${s.exitCode}: ${s.stderr.slice(0, 500)}`)
      return s
    }
    type Runner = () => Promise<Sample>
    const ourHelp =
      (v: Variant): Runner =>
      async () =>
        ok(await measure(kubectlPath, ['safe-secret', 'create', '--help'], envFor(v)), `${v.name} --help`)
    const kubectlHelp: Runner = async () =>
      ok(await measure(kubectlPath, ['create', 'secret', 'generic', '--help'], envFor()), 'kubectl --help')
    const ourCreate =
      (v: Variant, ttl: boolean): Runner =>
      async () =>
        ok(
          await measure(
            kubectlPath,
            [
              'safe-secret',
              'create',
              `o-${v.name}-${seq++}`,
              '--from-stdin=k',
              '-n',
              createNs,
              ...(ttl ? ['--ttl', '1h'] : []),
            ],
            envFor(v),
            Buffer.from(value()),
          ),
          `${v.name} create`,
        )
    const floorEmpty: Runner = async () =>
      ok(await measure(kubectlPath, ['bench_floor'], envFor()), 'floor: empty plugin')
    const floorRequest: Runner = async () =>
      ok(
        await measure(kubectlPath, ['bench_floor', 'request'], {
          ...envFor(),
          BENCH_CA: cluster?.caFile,
          BENCH_SERVER: cluster?.server,
          BENCH_TOKEN: cluster?.tokens.admin,
        }),
        'floor: one request',
      )
    const kubectlCreate: Runner = async () =>
      ok(
        await measure(
          kubectlPath,
          ['create', 'secret', 'generic', `k-${seq++}`, '--from-file=k=/dev/stdin', '-n', createNs],
          envFor(),
          Buffer.from(value()),
        ),
        'kubectl create',
      )

    /** Warm-up, then A B A B ... */
    async function alternate(runs: number, runners: Runner[]): Promise<Stats[]> {
      for (const r of runners) for (let i = 0; i < 2; i++) await r()
      const samples: Sample[][] = runners.map(() => [])
      for (let i = 0; i < runs; i++) for (const [j, r] of runners.entries()) samples[j]?.push(await r())
      return samples.map(stats)
    }

    const results: CaseResult[] = []
    const levers: { variant: string; what: string; help: Stats; create: Stats }[] = []

    // Levers: every variant, --help and create, against kubectl in the same rotation.
    log(`levers: --help and create for ${variants.length} variants, ${RUNS} runs each`)
    const helpStats = await alternate(RUNS, [kubectlHelp, floorEmpty, ...variants.map(ourHelp)])
    const createStats = await alternate(RUNS, [
      kubectlCreate,
      floorRequest,
      ...variants.map((v) => ourCreate(v, false)),
    ])
    for (const [i, v] of variants.entries())
      levers.push({
        variant: v.name,
        what: v.what,
        help: helpStats[i + 2] as Stats,
        create: createStats[i + 2] as Stats,
      })
    const kHelp = helpStats[0] as Stats
    const kCreate = createStats[0] as Stats
    results.push(
      {
        case: '0. floor for case 1: an empty Node plugin through kubectl',
        ours: { ...(helpStats[1] as Stats), variant: 'floor' },
        kubectl: kHelp,
        ratio: round((helpStats[1] as Stats).medianMs / kHelp.medianMs, 2),
      },
      {
        case: "0. floor for case 2: a Node plugin making one HTTPS request with the cluster's CA, through kubectl",
        ours: { ...(createStats[1] as Stats), variant: 'floor' },
        kubectl: kCreate,
        ratio: round((createStats[1] as Stats).medianMs / kCreate.medianMs, 2),
      },
    )

    for (const v of [shipped, sea]) {
      const lv = levers.find((l) => l.variant === v.name)
      if (!lv) continue
      results.push({
        case: `1. create --help vs kubectl create secret generic --help [${v.name}]`,
        ours: { ...lv.help, variant: v.name },
        kubectl: kHelp,
        ratio: round(lv.help.medianMs / kHelp.medianMs, 2),
      })
      results.push({
        case: `2. create --from-stdin vs kubectl create secret generic --from-file=k=/dev/stdin [${v.name}]`,
        ours: { ...lv.create, variant: v.name },
        kubectl: kCreate,
        ratio: round(lv.create.medianMs / kCreate.medianMs, 2),
      })
    }

    // 3. create --ttl (Secret + timer Job): ratio against case 2's kubectl.
    log('case 3: create --ttl 1h')
    const ttlStats = await alternate(RUNS, [kubectlCreate, ourCreate(shipped, true), ourCreate(sea, true)])
    for (const [i, v] of [shipped, sea].entries()) {
      results.push({
        case: `3. create --from-stdin --ttl 1h (2 API calls) [${v.name}]`,
        ours: { ...(ttlStats[i + 1] as Stats), variant: v.name },
        kubectl: ttlStats[0] as Stats,
        ratio: round((ttlStats[i + 1] as Stats).medianMs / (ttlStats[0] as Stats).medianMs, 2),
        ratioAgainst: 'kubectl create secret generic (case 2)',
      })
    }

    // 4. list -A over 2,000 managed Secrets in 20 namespaces.
    const listPrefix = `bench-${tag}-list`
    const listNs = await seed(api, listPrefix, 2000, new Date(Date.now() + 24 * 3600_000), NAMESPACES, log)
    namespacesToDelete.push(...listNs)
    log('case 4: list -A')
    const ourList =
      (v: Variant): Runner =>
      async () =>
        ok(await measure(kubectlPath, ['safe-secret', 'list', '-A'], envFor(v)), `${v.name} list`)
    const kubectlList: Runner = async () =>
      ok(
        await measure(
          kubectlPath,
          ['get', 'secrets', '-A', '-l', 'app.kubernetes.io/managed-by=kubectl-safe-secret'],
          envFor(),
        ),
        'kubectl get',
      )
    const listStats = await alternate(LIST_RUNS, [kubectlList, ourList(shipped), ourList(sea)])
    for (const [i, v] of [shipped, sea].entries()) {
      results.push({
        case: `4. list -A (2,000 managed in 20 ns) vs kubectl get secrets -A -l managed-by [${v.name}]`,
        ours: { ...(listStats[i + 1] as Stats), variant: v.name },
        kubectl: listStats[0] as Stats,
        ratio: round((listStats[i + 1] as Stats).medianMs / (listStats[0] as Stats).medianMs, 2),
      })
    }

    // 5. reap of N expired Secrets in 20 namespaces: deletions per second and peak RSS.
    if (!opts['skip-reap']) {
      for (const size of REAP_SIZES) {
        const prefix = `bench-${tag}-reap${size}-${shipped.name}`.slice(0, 50)
        const ns = await seed(api, prefix, size, new Date(Date.now() - 3600_000), NAMESPACES, log)
        namespacesToDelete.push(...ns)
        log(`case 5: reap -A of ${size} [${shipped.name}]`)
        const s = ok(await measure(kubectlPath, ['safe-secret', 'reap', '-A'], envFor(shipped)), 'reap')
        const left = await countManaged(api, prefix)
        const summary = s.stderr.trim().split('\n').pop() ?? ''
        const deleted = size - left
        results.push({
          case: `5. reap -A of ${size.toLocaleString('en')} expired Secrets in 20 ns [${shipped.name}]`,
          ours: { ...stats([s]), variant: shipped.name },
          extra: { deleted, left, deletionsPerSecond: round(deleted / (s.wallMs / 1000), 0), summary },
        })
        // The namespace controller clears them while the next seeding runs.
        for (const n of ns) await api('DELETE', `/api/v1/namespaces/${n}`).catch(() => {})
      }
    }

    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      node: process.version,
      kubectl: execFileSync(kubectlPath, ['version', '--client', '-o', 'json'], { encoding: 'utf8' }).match(
        /"gitVersion":\s*"([^"]+)"/,
      )?.[1],
      loadavg: os.loadavg().map((l) => round(l, 2)),
    }
    const components = await componentCosts(envFor(), cluster.caFile)
    const report = { date: new Date().toISOString(), machine, runs: RUNS, results, levers, components }
    writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`)
    process.stdout.write(renderTables(report))
    log(`wrote ${path.relative(root, opts.out)}`)
  } finally {
    for (const ns of namespacesToDelete) await api('DELETE', `/api/v1/namespaces/${ns}`).catch(() => {})
    if (owned && cluster) await stopControlPlane(cluster)
  }
}

/**
 * The floor under any Node kubectl plugin, as plugins on PATH (`kubectl bench_floor`):
 * kubectl's own start and dispatch, then Node's. `request` adds what every create
 * pays whatever its code: a TLS context with the cluster's CA (Node 20 parses its
 * bundled root certificates for it) and one authenticated HTTPS request.
 */
function writeFloorPlugin(dir: string): void {
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'kubectl-bench_floor')
  writeFileSync(
    file,
    [
      '#!/usr/bin/env node',
      "if (process.argv[2] === 'request') {",
      "  const https = require('node:https')",
      "  const ca = require('node:fs').readFileSync(process.env.BENCH_CA)",
      "  https.get(process.env.BENCH_SERVER + '/version', { ca, headers: { Authorization: 'Bearer ' + process.env.BENCH_TOKEN } }, (res) => {",
      '    res.resume()',
      "    res.on('end', () => process.exit(res.statusCode === 200 ? 0 : 1))",
      '  })',
      '}',
      '',
    ].join('\n'),
  )
  chmodSync(file, 0o755)
}

/**
 * Start-up components, in the same clean environment as every case. Import costs
 * show what lazy imports avoid; NODE_EXTRA_CA_CERTS (when this machine sets it)
 * shows what it adds to every Node process, plugins included.
 */
async function componentCosts(env: NodeJS.ProcessEnv, caFile: string) {
  const node = process.execPath
  const probes: [string, string, NodeJS.ProcessEnv][] = [
    ['node -e 0', '0', env],
    [
      "node: tls.createSecureContext({ ca }) with the cluster's CA",
      `(await import('node:tls')).createSecureContext({ ca: (await import('node:fs')).readFileSync(${JSON.stringify(caFile)}) })`,
      env,
    ],
    ['import @oclif/core', "await import('@oclif/core')", env],
    ['import @kubernetes/client-node', "await import('@kubernetes/client-node')", env],
    ['import @inquirer/prompts', "await import('@inquirer/prompts')", env],
  ]
  const extraCa = process.env.NODE_EXTRA_CA_CERTS
  if (extraCa) {
    probes.splice(1, 0, [
      `node -e 0 with this machine's NODE_EXTRA_CA_CERTS=${extraCa}`,
      '0',
      { ...env, NODE_EXTRA_CA_CERTS: extraCa },
    ])
  }
  const out: { what: string; stats: Stats }[] = []
  for (const [what, code, probeEnv] of probes) {
    const samples: Sample[] = []
    for (let i = 0; i < 2 + RUNS; i++) {
      const s = await measure(node, ['--input-type=module', '-e', code], probeEnv)
      if (i >= 2) samples.push(s)
    }
    out.push({ what, stats: stats(samples) })
  }
  return out
}

function renderTables(report: {
  machine: Record<string, unknown>
  results: CaseResult[]
  levers: { variant: string; what: string; help: Stats; create: Stats }[]
  components: { what: string; stats: Stats }[]
}): string {
  const ms = (s?: Stats) => (s ? `${s.medianMs} (${s.minMs}–${s.maxMs})` : '')
  const cpu = (s?: Stats) => (s ? `${s.cpuMedianMs}` : '')
  const lines = [
    `Machine: ${report.machine.cpus} CPUs, Node ${report.machine.node}, kubectl ${report.machine.kubectl}, load ${(report.machine.loadavg as number[]).join(' ')}`,
    '',
    '| Case | ours median ms (min–max) | kubectl median ms (min–max) | ratio | CPU ms ours / kubectl | peak RSS MiB ours / kubectl |',
    '| --- | --- | --- | --- | --- | --- |',
  ]
  for (const r of report.results) {
    const extra = r.extra
      ? ` — ${r.extra.deleted} deleted, ${r.extra.deletionsPerSecond}/s, ${r.extra.left} left`
      : ''
    lines.push(
      `| ${r.case}${extra} | ${ms(r.ours)} | ${ms(r.kubectl)} | ${r.ratio ?? ''}${r.ratio ? '×' : ''} | ${cpu(r.ours)} / ${cpu(r.kubectl)} | ${r.ours.peakRssMiB} / ${r.kubectl?.peakRssMiB ?? ''} |`,
    )
  }
  lines.push(
    '',
    '| Lever (variant) | create --help ms | create from stdin ms | CPU ms help / create | peak RSS MiB help / create |',
    '| --- | --- | --- | --- | --- |',
  )
  for (const l of report.levers)
    lines.push(
      `| ${l.variant}: ${l.what} | ${ms(l.help)} | ${ms(l.create)} | ${cpu(l.help)} / ${cpu(l.create)} | ${l.help.peakRssMiB} / ${l.create.peakRssMiB} |`,
    )
  lines.push(
    '',
    '| Start-up component | median ms (min–max) | CPU ms | peak RSS MiB |',
    '| --- | --- | --- | --- |',
  )
  for (const c of report.components)
    lines.push(`| ${c.what} | ${ms(c.stats)} | ${cpu(c.stats)} | ${c.stats.peakRssMiB} |`)
  return `${lines.join('\n')}\n`
}

await main()
