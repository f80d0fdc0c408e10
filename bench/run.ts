/**
 * `npm run bench`: kubectl safe-secret against kubectl on the local control
 * plane, side by side in one run (a warm-up, then A B A B ...), reporting the
 * median and min/max wall time, the ratio ours/kubectl and peak RSS, the effect
 * of each start-up lever, and the targets of issue 13 against the floors
 * measured in the same rotation. Writes bench/results.json (git-ignored).
 *
 *   npm run bench [-- --quick] [--runs 10] [--list-runs 5] [--reap-sizes 2000,10000]
 *                 [--skip-reap] [--skip-build] [--own-cluster]
 *   npm run bench -- --profile [--profile-runs 5]   (CPU profile of create: bench/profile.ts)
 *
 * Uses the cluster of `npm run cluster:up` (.cluster/) when it is up, else
 * starts a fresh one and stops it at the end. Secret values travel on stdin.
 * A report, not a test: nothing here asserts a time.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { ControlPlaneState } from '../test/cluster/control-plane.js'
import { isolatedEnv } from '../test/helpers/plugin.js'
import { apiClient, countManaged, seed, withCluster } from './cluster.js'
import { type Measured, measure, round, type Sample, type Stats, stats } from './measure.js'
import { buildSea, releaseNode } from './sea.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values: opts } = parseArgs({
  options: {
    // A smoke run: 3 rotations, 2 for list, reap of 500 (each overridable).
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'list-runs': { type: 'string' },
    'reap-sizes': { type: 'string' },
    'skip-reap': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    'own-cluster': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'profile-runs': { type: 'string', default: '5' },
    out: { type: 'string', default: path.join(root, 'bench', 'results.json') },
  },
})

function positiveInts(option: string, text: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()))
  if (!values.every((n) => Number.isInteger(n) && n > 0))
    throw new Error(`--${option} expects positive integers separated by commas, e.g. 10`)
  return values
}
const RUNS = positiveInts('runs', opts.runs ?? (opts.quick ? '3' : '10'))[0] as number
const LIST_RUNS = positiveInts('list-runs', opts['list-runs'] ?? (opts.quick ? '2' : '5'))[0] as number
const REAP_SIZES = positiveInts('reap-sizes', opts['reap-sizes'] ?? (opts.quick ? '500' : '2000,10000'))
const NAMESPACES = 20
const work = path.join(root, 'node_modules', '.cache', 'safe-secret-bench')
const tag = randomBytes(3).toString('hex')
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`)

// ---------------------------------------------------------------------------
// The variants of our CLI, each as `kubectl-safe_secret` in its own directory

interface Variant {
  name: string
  what: string
  pathDir: string
  /** Added to the clean environment of every run (a lever turned off). */
  env?: Record<string, string>
}

function buildVariants(): Variant[] {
  const node = process.execPath
  if (!opts['skip-build']) {
    log('building: tsc (dist/), the bundles, the single executables')
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
  // bundle: what `npm i -g` installs (no src/, so bin/ runs dist/bundle, with
  // the compile cache in $HOME/.cache unless NODE_DISABLE_COMPILE_CACHE is set).
  const bundle = path.join(work, 'bundle')
  mkdirSync(path.join(bundle, 'bin'), { recursive: true })
  copyFileSync(path.join(root, 'bin', 'kubectl-safe_secret'), path.join(bundle, 'bin', 'kubectl-safe_secret'))
  chmodSync(path.join(bundle, 'bin', 'kubectl-safe_secret'), 0o755)
  copyFileSync(path.join(root, 'package.json'), path.join(bundle, 'package.json'))
  const bundleTo = (outdir: string, extra: string[] = []) =>
    execFileSync(node, [path.join(root, 'scripts', 'bundle.mjs'), '--outdir', outdir, '--quiet', ...extra], {
      stdio: 'inherit',
    })
  bundleTo(path.join(bundle, 'dist', 'bundle'))
  // bundle-no-pick: the same, keeping all of @kubernetes/client-node behind its dynamic import.
  const noPick = path.join(work, 'bundle-no-pick')
  execFileSync('cp', ['-a', bundle, noPick])
  bundleTo(path.join(noPick, 'dist', 'bundle'), ['--no-pick'])
  // sea: the krew linux/amd64 executable as release-build.mjs makes it, and with
  // its levers off (the code cache is redundant with the snapshot: Node ignores it).
  const seaDir = (name: string, extra: string[]) => {
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
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    const dir = path.join(work, name)
    mkdirSync(dir, { recursive: true })
    copyFileSync(
      path.join(out, 'build', 'linux_amd64', 'kubectl-safe_secret'),
      path.join(dir, 'kubectl-safe_secret'),
    )
    chmodSync(path.join(dir, 'kubectl-safe_secret'), 0o755)
    return dir
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
      what: 'esbuild bundle, whole client-node in its lazy chunk (compile cache warm)',
      pathDir: path.join(noPick, 'bin'),
    },
    {
      name: 'bundle-no-compile-cache',
      what: 'esbuild bundle, NODE_DISABLE_COMPILE_CACHE=1',
      pathDir: path.join(bundle, 'bin'),
      env: { NODE_DISABLE_COMPILE_CACHE: '1' },
    },
    {
      name: 'bundle',
      what: 'esbuild bundle + compile cache, warm (npm package)',
      pathDir: path.join(bundle, 'bin'),
    },
    {
      name: 'sea-no-snapshot-no-code-cache',
      what: 'single executable, --no-snapshot --no-code-cache',
      pathDir: seaDir('sea-no-snapshot-no-code-cache', ['--no-snapshot', '--no-code-cache']),
    },
    {
      name: 'sea-no-snapshot',
      what: 'single executable + V8 code cache, --no-snapshot',
      pathDir: seaDir('sea-no-snapshot', ['--no-snapshot']),
    },
    {
      name: 'sea',
      what: 'single executable + startup snapshot (krew linux/amd64)',
      pathDir: seaDir('sea', []),
    },
  ]
}

// ---------------------------------------------------------------------------
// The floors: what a plugin pays before any code of its own, as plugins on PATH

interface FloorNode {
  version: string
  exe: string
  /** `kubectl <plugin>`: empty; `kubectl <plugin> request`: one HTTPS request. */
  plugin: string
}

interface Floors {
  dir: string
  /** This bench's Node first (it runs the npm package: see envFor), then /usr/bin/node if another major. */
  nodes: FloorNode[]
  /** The Node the empty single executables embed, the release's. */
  seaNode: string
}

const FLOOR_SCRIPT = [
  "if (process.argv[2] === 'request') {",
  "  const https = require('node:https')",
  "  const ca = require('node:fs').readFileSync(process.env.BENCH_CA)",
  "  https.get(process.env.BENCH_SERVER + '/version', { ca, headers: { Authorization: 'Bearer ' + process.env.BENCH_TOKEN } }, (res) => {",
  '    res.resume()',
  "    res.on('end', () => process.exit(res.statusCode === 200 ? 0 : 1))",
  '  })',
  '}',
  '',
].join('\n')

/**
 * The floor under any kubectl plugin, as plugins on PATH:
 * - `kubectl bench_floor_sh`: an empty shell script, kubectl's own start and dispatch;
 * - `kubectl bench_floor_node<major>`: an empty Node script on each Node (shebang
 *   with its absolute path), and with `request` what every create pays whatever its
 *   code: a TLS context with the cluster's CA and one authenticated HTTPS request;
 * - `kubectl bench_floor_sea`: a single executable whose main script does nothing,
 *   built like the release (same Node binary and postject, startup snapshot), and
 *   `kubectl bench_floor_sea_no_snapshot` without the snapshot.
 */
function writeFloors(dir: string): Floors {
  mkdirSync(dir, { recursive: true })
  const write = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text)
    chmodSync(path.join(dir, name), 0o755)
  }
  write('kubectl-bench_floor_sh', '#!/bin/sh\nexit 0\n')
  const nodes: FloorNode[] = []
  for (const exe of [process.execPath, '/usr/bin/node']) {
    if (!existsSync(exe)) continue
    const version =
      exe === process.execPath
        ? process.version
        : execFileSync(exe, ['--version'], { encoding: 'utf8' }).trim()
    const plugin = `bench_floor_node${version.slice(1).split('.')[0]}`
    if (nodes.some((n) => n.plugin === plugin)) continue
    write(`kubectl-${plugin}`, `#!${exe}\n${FLOOR_SCRIPT}`)
    nodes.push({ version, exe, plugin })
  }
  const src = path.join(work, 'floor-sea-src')
  mkdirSync(src, { recursive: true })
  writeFileSync(path.join(src, 'empty.cjs'), '')
  // The same script as the Node plugins': empty, and one request with `request`.
  writeFileSync(
    path.join(src, 'empty-snapshot.cjs'),
    `require('v8').startupSnapshot.setDeserializeMainFunction(() => {\n${FLOOR_SCRIPT}})\n`,
  )
  buildSea(root, path.join(src, 'empty-snapshot.cjs'), path.join(dir, 'kubectl-bench_floor_sea'), {
    snapshot: true,
    codeCache: true,
  })
  buildSea(root, path.join(src, 'empty.cjs'), path.join(dir, 'kubectl-bench_floor_sea_no_snapshot'), {
    snapshot: false,
    codeCache: true,
  })
  return { dir, nodes, seaNode: releaseNode().version }
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

interface Lever {
  variant: string
  what: string
  help: Stats
  create: Stats
}

/** A target of issue 13, from this run's medians. */
interface Target {
  case: string
  target: string
  measured: string
  /** ours / the floor the target names. */
  ratio?: number
  /** ours / kubectl doing the same job, in the same rotation. */
  kubectlRatio?: number
  status: string
}

type Runner = () => Promise<Measured>

/** Warm-up (2 runs of each), then A B C ... A B C ..., RUNS times. */
async function rotate(runs: number, runners: Record<string, Runner>): Promise<Record<string, Stats>> {
  const entries = Object.entries(runners)
  for (const [, r] of entries) for (let i = 0; i < 2; i++) await r()
  const samples = new Map<string, Sample[]>(entries.map(([k]) => [k, []]))
  for (let i = 0; i < runs; i++) for (const [k, r] of entries) samples.get(k)?.push(await r())
  return Object.fromEntries([...samples].map(([k, s]) => [k, stats(s)]))
}

function pick<T>(record: Record<string, T>, key: string): T {
  const v = record[key]
  if (v === undefined) throw new Error(`bench: no measurement named ${key}`)
  return v
}

/** Files and bytes under DIR (recursively), or undefined when it does not exist. */
function dirSize(dir: string): { files: number; bytes: number } | undefined {
  if (!existsSync(dir)) return undefined
  let files = 0
  let bytes = 0
  for (const name of readdirSync(dir, { recursive: true })) {
    const st = statSync(path.join(dir, String(name)))
    if (st.isFile()) {
      files++
      bytes += st.size
    }
  }
  return { files, bytes }
}

async function main(cluster: ControlPlaneState) {
  const kubectlPath = path.join(cluster.binDir, 'kubectl')
  const api = apiClient(cluster)
  const home = path.join(work, 'home')
  const namespacesToDelete: string[] = []
  try {
    rmSync(work, { recursive: true, force: true })
    mkdirSync(work, { recursive: true })
    const loadBefore = os.loadavg().map((l) => round(l, 2))
    const variants = buildVariants()
    log('building the floors: empty plugins and empty single executables')
    const floors = writeFloors(path.join(work, 'floor'))
    mkdirSync(home, { recursive: true })
    // A clean environment for every measured process (isolatedEnv), with the variant's directory first.
    const envFor = (variant?: Variant): NodeJS.ProcessEnv => ({
      ...isolatedEnv(cluster, home, [...(variant ? [variant.pathDir] : []), floors.dir]),
      ...variant?.env,
    })
    const requestEnv = {
      ...envFor(),
      BENCH_CA: cluster.caFile,
      BENCH_SERVER: cluster.server,
      BENCH_TOKEN: cluster.tokens.admin,
    }
    const variant = (name: string) => variants.find((v) => v.name === name) as Variant
    const shipped = variant('bundle')
    const sea = variant('sea')
    const createNs = `bench-${tag}-create`
    namespacesToDelete.push(createNs)
    await api('POST', '/api/v1/namespaces', { metadata: { name: createNs } })

    let seq = 0
    const value = () => randomBytes(32).toString('hex') // travels on stdin only
    /** kubectl ARGS (a function: evaluated for every run, for a fresh name). */
    const run =
      (
        what: string,
        args: string[] | (() => string[]),
        env: NodeJS.ProcessEnv,
        stdin?: () => Buffer,
      ): Runner =>
      async () => {
        const s = await measure(kubectlPath, typeof args === 'function' ? args() : args, env, stdin?.())
        if (s.exitCode !== 0) throw new Error(`${what} exited ${s.exitCode}: ${s.stderr.slice(0, 500)}`)
        return s
      }
    const ourHelp = (v: Variant) => run(`${v.name} --help`, ['safe-secret', 'create', '--help'], envFor(v))
    const ourCreate = (v: Variant, ttl: boolean) =>
      run(
        `${v.name} create`,
        // A real create: `o-<variant>-<n>` in the bench namespace, value on stdin.
        () => [
          'safe-secret',
          'create',
          `o-${v.name}-${seq++}`,
          '--from-stdin=k',
          '-n',
          createNs,
          ...(ttl ? ['--ttl', '1h'] : []),
        ],
        envFor(v),
        () => Buffer.from(value()),
      )
    const kubectlCreate = () =>
      run(
        'kubectl create',
        () => ['create', 'secret', 'generic', `k-${seq++}`, '--from-file=k=/dev/stdin', '-n', createNs],
        envFor(),
        () => Buffer.from(value()),
      )

    // Cases 0-2 and the levers: the floors, kubectl and every variant's --help
    // and create, all in one rotation.
    const runners: Record<string, Runner> = {
      'kubectl help': run('kubectl --help', ['create', 'secret', 'generic', '--help'], envFor()),
      'kubectl create': kubectlCreate(),
      'floor sh': run('floor: empty shell plugin', ['bench_floor_sh'], envFor()),
      'floor sea': run('floor: empty single executable', ['bench_floor_sea'], envFor()),
      'floor sea request': run(
        'floor: one request from a single executable',
        ['bench_floor_sea', 'request'],
        requestEnv,
      ),
      'floor sea-no-snapshot': run(
        'floor: empty single executable, no snapshot',
        ['bench_floor_sea_no_snapshot'],
        envFor(),
      ),
    }
    for (const n of floors.nodes) {
      runners[`floor empty ${n.version}`] = run(`floor: empty plugin ${n.version}`, [n.plugin], envFor())
      runners[`floor request ${n.version}`] = run(
        `floor: one request ${n.version}`,
        [n.plugin, 'request'],
        requestEnv,
      )
    }
    for (const v of variants) {
      runners[`${v.name} help`] = ourHelp(v)
      runners[`${v.name} create`] = ourCreate(v, false)
    }
    log(
      `start-up: ${Object.keys(runners).length} commands in rotation (2 warm-up runs each, which also fill the bundle's compile cache), ${RUNS} runs`,
    )
    const S = await rotate(RUNS, runners)
    const compileCache = dirSize(path.join(home, '.cache', 'kubectl-safe-secret', 'compile-cache'))
    if (!compileCache?.files) log('warning: the bundle left no compile cache: its row measures no cache')

    const kHelp = pick(S, 'kubectl help')
    const kCreate = pick(S, 'kubectl create')
    const results: CaseResult[] = []
    const floorRow = (what: string, key: string, against: Stats): CaseResult => {
      const s = pick(S, key)
      return {
        case: `0. ${what}`,
        ours: { ...s, variant: 'floor' },
        kubectl: against,
        ratio: round(s.medianMs / against.medianMs, 2),
      }
    }
    results.push(floorRow('kubectl dispatching an empty shell-script plugin', 'floor sh', kHelp))
    for (const n of floors.nodes)
      results.push(floorRow(`an empty Node plugin [Node ${n.version}]`, `floor empty ${n.version}`, kHelp))
    results.push(
      floorRow(
        `an empty single executable built like the release [Node ${floors.seaNode}, startup snapshot]`,
        'floor sea',
        kHelp,
      ),
      floorRow(
        `an empty single executable [Node ${floors.seaNode}, no snapshot]`,
        'floor sea-no-snapshot',
        kHelp,
      ),
    )
    for (const n of floors.nodes)
      results.push(
        floorRow(
          `a Node plugin making one HTTPS request with the cluster's CA [Node ${n.version}]`,
          `floor request ${n.version}`,
          kCreate,
        ),
      )
    results.push(
      floorRow(
        `an empty single executable making one HTTPS request with the cluster's CA [Node ${floors.seaNode}, startup snapshot]`,
        'floor sea request',
        kCreate,
      ),
    )
    const levers: Lever[] = variants.map((v) => ({
      variant: v.name,
      what: v.what,
      help: pick(S, `${v.name} help`),
      create: pick(S, `${v.name} create`),
    }))
    for (const v of [shipped, sea]) {
      const lv = levers.find((l) => l.variant === v.name) as Lever
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
    const ttl = await rotate(RUNS, {
      kubectl: kubectlCreate(),
      [shipped.name]: ourCreate(shipped, true),
      [sea.name]: ourCreate(sea, true),
    })
    for (const v of [shipped, sea]) {
      results.push({
        case: `3. create --from-stdin --ttl 1h (2 API calls) [${v.name}]`,
        ours: { ...pick(ttl, v.name), variant: v.name },
        kubectl: pick(ttl, 'kubectl'),
        ratio: round(pick(ttl, v.name).medianMs / pick(ttl, 'kubectl').medianMs, 2),
        ratioAgainst: 'kubectl create secret generic (case 2)',
      })
    }

    // 4. list -A over 2,000 managed Secrets in 20 namespaces.
    const listPrefix = `bench-${tag}-list`
    const listNs = await seed(api, listPrefix, 2000, new Date(Date.now() + 24 * 3600_000), NAMESPACES, log)
    namespacesToDelete.push(...listNs)
    log('case 4: list -A')
    const ourList = (v: Variant) => run(`${v.name} list`, ['safe-secret', 'list', '-A'], envFor(v))
    const list = await rotate(LIST_RUNS, {
      kubectl: run(
        'kubectl get',
        ['get', 'secrets', '-A', '-l', 'app.kubernetes.io/managed-by=kubectl-safe-secret'],
        envFor(),
      ),
      [shipped.name]: ourList(shipped),
      [sea.name]: ourList(sea),
    })
    for (const v of [shipped, sea]) {
      results.push({
        case: `4. list -A (2,000 managed in 20 ns) vs kubectl get secrets -A -l managed-by [${v.name}]`,
        ours: { ...pick(list, v.name), variant: v.name },
        kubectl: pick(list, 'kubectl'),
        ratio: round(pick(list, v.name).medianMs / pick(list, 'kubectl').medianMs, 2),
      })
    }

    // 5. reap of N expired Secrets in 20 namespaces, by each shipped form:
    // deletions per second and peak RSS.
    const reaps: {
      variant: string
      size: number
      deletionsPerSecond: number
      rssMiB: number
      left: number
    }[] = []
    if (!opts['skip-reap']) {
      for (const size of REAP_SIZES) {
        for (const v of [shipped, sea]) {
          const prefix = `bench-${tag}-reap${size}-${v.name}`.slice(0, 50)
          const ns = await seed(api, prefix, size, new Date(Date.now() - 3600_000), NAMESPACES, log)
          namespacesToDelete.push(...ns)
          log(`case 5: reap -A of ${size} [${v.name}]`)
          const s = await run('reap', ['safe-secret', 'reap', '-A'], envFor(v))()
          const left = await countManaged(api, prefix)
          const summary = s.stderr.trim().split('\n').pop() ?? ''
          const deleted = size - left
          const deletionsPerSecond = round(deleted / (s.wallMs / 1000), 0)
          reaps.push({ variant: v.name, size, deletionsPerSecond, rssMiB: stats([s]).peakRssMiB, left })
          results.push({
            case: `5. reap -A of ${size.toLocaleString('en')} expired Secrets in 20 ns [${v.name}]`,
            ours: { ...stats([s]), variant: v.name },
            extra: { deleted, left, deletionsPerSecond, summary },
          })
          // The namespace controller clears them while the next seeding runs.
          for (const n of ns) await api('DELETE', `/api/v1/namespaces/${n}`).catch(() => {})
        }
      }
    }

    // The targets (issue 13), each against a floor measured in the same rotation.
    const targets: Target[] = []
    const processFloor = `floor empty ${process.version}`
    const ratioTarget = (
      what: string,
      key: string,
      floorKey: string,
      floorName: string,
      limit: number,
      kubectl: Stats,
    ): Target => {
      const ours = pick(S, key)
      const floor = pick(S, floorKey)
      const ratio = round(ours.medianMs / floor.medianMs, 2)
      return {
        case: what,
        target: `≤ ${limit}× ${floorName} (${floor.medianMs} ms)`,
        measured: `${ours.medianMs} ms`,
        ratio,
        kubectlRatio: round(ours.medianMs / kubectl.medianMs, 2),
        status: ratio <= limit ? 'met' : 'not met',
      }
    }
    const nodeFloorName = `the empty Node plugin, Node ${process.version}`
    // A create makes one HTTPS request: what the same floor pays for one request alone, beside it.
    const withRequestFloor = (target: Target, requestKey: string, floorKey: string): Target => {
      const request = pick(S, requestKey).medianMs
      const ratio = round(request / pick(S, floorKey).medianMs, 2)
      return {
        ...target,
        measured: `${target.measured} (the floor making one HTTPS request: ${request} ms, ${ratio}×)`,
      }
    }
    targets.push(
      withRequestFloor(
        ratioTarget(
          'create from stdin, krew executable [sea]',
          'sea create',
          'floor sea',
          `the empty single executable, Node ${floors.seaNode} with a snapshot`,
          1.25,
          kCreate,
        ),
        'floor sea request',
        'floor sea',
      ),
      withRequestFloor(
        ratioTarget(
          'create from stdin, npm package [bundle]',
          'bundle create',
          processFloor,
          nodeFloorName,
          1.5,
          kCreate,
        ),
        `floor request ${process.version}`,
        processFloor,
      ),
      {
        ...ratioTarget(
          '`create --help`, krew executable [sea]',
          'sea help',
          processFloor,
          nodeFloorName,
          1.1,
          kHelp,
        ),
        // The floor of its own kind, for reading the target above.
        measured: `${pick(S, 'sea help').medianMs} ms (${round(pick(S, 'sea help').medianMs / pick(S, 'floor sea').medianMs, 2)}× the empty single executable)`,
      },
      ratioTarget(
        '`create --help`, npm package [bundle]',
        'bundle help',
        processFloor,
        nodeFloorName,
        1.1,
        kHelp,
      ),
    )
    for (const v of [sea, shipped]) {
      const rss = pick(S, `${v.name} create`).peakRssMiB
      targets.push({
        case: `peak RSS of create [${v.name}]`,
        target: '≤ 80 MiB',
        measured: `${rss} MiB (kubectl ${kCreate.peakRssMiB} MiB)`,
        kubectlRatio: round(rss / kCreate.peakRssMiB, 2),
        status: rss <= 80 ? 'met' : 'not met',
      })
    }
    for (const v of [shipped, sea]) {
      const largest = reaps.filter((r) => r.variant === v.name).sort((a, b) => b.size - a.size)[0]
      const within =
        largest !== undefined &&
        largest.deletionsPerSecond >= 1000 &&
        largest.rssMiB <= 150 &&
        largest.left === 0
      targets.push({
        case: `reap [${v.name}]`,
        target: '≥ 1,000 deletions/s and ≤ 150 MiB at 10,000 Secrets, none left',
        measured: largest
          ? `${largest.deletionsPerSecond}/s, ${largest.rssMiB} MiB at ${largest.size.toLocaleString('en')}, ${largest.left} left`
          : 'not run',
        status: !largest
          ? 'not run'
          : largest.size < 10_000
            ? `not measured at 10,000 (at ${largest.size.toLocaleString('en')}: ${within ? 'within' : 'outside'} the bounds)`
            : within
              ? 'met'
              : 'not met',
      })
    }

    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      node: process.version,
      floorNodes: floors.nodes.map((n) => `${n.version} (${n.exe})`),
      seaNode: floors.seaNode,
      kubectl: execFileSync(kubectlPath, ['version', '--client', '-o', 'json'], { encoding: 'utf8' }).match(
        /"gitVersion":\s*"([^"]+)"/,
      )?.[1],
      loadavgBefore: loadBefore,
      loadavg: os.loadavg().map((l) => round(l, 2)),
    }
    const components = await componentCosts(envFor(), cluster.caFile, floors.nodes)
    const report = {
      date: new Date().toISOString(),
      machine,
      runs: RUNS,
      quick: opts.quick,
      results,
      levers,
      targets,
      compileCache,
      components,
    }
    writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`)
    process.stdout.write(renderTables(report))
    log(`wrote ${path.relative(root, opts.out)}`)
  } finally {
    for (const ns of namespacesToDelete) await api('DELETE', `/api/v1/namespaces/${ns}`).catch(() => {})
  }
}

/**
 * Start-up components, in the same clean environment as every case. Import costs
 * show what lazy imports avoid; the TLS context is what Node 20 pays for its
 * bundled roots; NODE_EXTRA_CA_CERTS (when this machine sets it) shows what it
 * adds to every Node process, plugins included.
 */
async function componentCosts(env: NodeJS.ProcessEnv, caFile: string, nodes: FloorNode[]) {
  const tlsContext = `(await import('node:tls')).createSecureContext({ ca: (await import('node:fs')).readFileSync(${JSON.stringify(caFile)}) })`
  const probes: [string, string, string, NodeJS.ProcessEnv][] = []
  for (const n of nodes)
    probes.push(
      [`node -e 0 [${n.version}]`, n.exe, '0', env],
      [`tls.createSecureContext({ ca }) with the cluster's CA [${n.version}]`, n.exe, tlsContext, env],
    )
  const node = process.execPath
  probes.push(
    ['import @oclif/core', node, "await import('@oclif/core')", env],
    ['import @kubernetes/client-node', node, "await import('@kubernetes/client-node')", env],
    ['import @inquirer/prompts', node, "await import('@inquirer/prompts')", env],
  )
  const extraCa = process.env.NODE_EXTRA_CA_CERTS
  if (extraCa) {
    for (const n of nodes)
      probes.push([
        `node -e 0 with this machine's NODE_EXTRA_CA_CERTS=${extraCa} [${n.version}]`,
        n.exe,
        '0',
        { ...env, NODE_EXTRA_CA_CERTS: extraCa },
      ])
  }
  const out: { what: string; stats: Stats }[] = []
  for (const [what, exe, code, probeEnv] of probes) {
    const samples: Sample[] = []
    for (let i = 0; i < 2 + RUNS; i++) {
      const s = await measure(exe, ['--input-type=module', '-e', code], probeEnv)
      if (i >= 2) samples.push(s)
    }
    out.push({ what, stats: stats(samples) })
  }
  return out
}

function renderTables(report: {
  machine: Record<string, unknown>
  results: CaseResult[]
  levers: Lever[]
  targets: Target[]
  compileCache?: { files: number; bytes: number }
  components: { what: string; stats: Stats }[]
}): string {
  const ms = (s?: Stats) => (s ? `${s.medianMs} (${s.minMs}–${s.maxMs})` : '')
  const cpu = (s?: Stats) => (s ? `${s.cpuMedianMs}` : '')
  const x = (n?: number) => (n === undefined ? '–' : `${n}×`)
  const m = report.machine
  const lines = [
    `Machine: ${m.cpus} CPUs, bench on Node ${m.node}, floors on ${(m.floorNodes as string[]).join(', ')}, single executables on Node ${m.seaNode}, kubectl ${m.kubectl}, load ${(m.loadavgBefore as number[]).join(' ')} before, ${(m.loadavg as number[]).join(' ')} after`,
    '',
    '| Case | ours median ms (min–max) | kubectl median ms (min–max) | ratio | CPU ms ours / kubectl | peak RSS MiB ours / kubectl |',
    '| --- | --- | --- | --- | --- | --- |',
  ]
  for (const r of report.results) {
    const extra = r.extra
      ? ` — ${r.extra.deleted} deleted, ${r.extra.deletionsPerSecond}/s, ${r.extra.left} left`
      : ''
    lines.push(
      `| ${r.case}${extra} | ${ms(r.ours)} | ${ms(r.kubectl)} | ${r.ratio ? x(r.ratio) : ''} | ${cpu(r.ours)} / ${cpu(r.kubectl)} | ${r.ours.peakRssMiB} / ${r.kubectl?.peakRssMiB ?? ''} |`,
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
  if (report.compileCache)
    lines.push(
      '',
      `Compile cache after the warm-up: ${report.compileCache.files} files, ${round(report.compileCache.bytes / 1024, 0)} KiB.`,
    )
  lines.push(
    '',
    '| Start-up component | median ms (min–max) | CPU ms | peak RSS MiB |',
    '| --- | --- | --- | --- |',
  )
  for (const c of report.components)
    lines.push(`| ${c.what} | ${ms(c.stats)} | ${cpu(c.stats)} | ${c.stats.peakRssMiB} |`)
  lines.push(
    '',
    'Targets (issue 13), from the medians of this run:',
    '',
    '| Case | Target | Measured (median) | Ratio to the floor | Ratio to kubectl | Status |',
    '| --- | --- | --- | --- | --- | --- |',
  )
  for (const t of report.targets)
    lines.push(
      `| ${t.case} | ${t.target} | ${t.measured} | ${x(t.ratio)} | ${x(t.kubectlRatio)} | ${t.status === 'met' ? 'met' : `**${t.status}**`} |`,
    )
  return `${lines.join('\n')}\n`
}

await withCluster(root, opts['own-cluster'], log, async (cluster) => {
  if (!opts.profile) return main(cluster)
  const { profileCreate } = await import('./profile.js')
  const runs = positiveInts('profile-runs', opts['profile-runs'])[0] as number
  await profileCreate({ root, work: path.join(work, 'profile'), cluster, runs, log })
})
