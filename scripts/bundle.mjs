#!/usr/bin/env node
/**
 * Bundles the shipped CLI with esbuild: oclif, every command and their
 * dependencies in one module, plus the oclif manifest, so that Node resolves
 * and reads one file instead of hundreds and oclif never scans a directory.
 *
 *   node scripts/bundle.mjs                     # ESM, lazy chunks -> dist/bundle/
 *   node scripts/bundle.mjs --format cjs --outdir release/sea   # one CJS file (for the SEA)
 *
 * Options:
 *   --format esm|cjs   esm (default) splits every `await import()` into a lazy chunk;
 *                      cjs makes one file where lazily imported modules stay lazily
 *                      initialised (what a Node single executable needs).
 *   --external PKG     leave PKG out of the bundle (repeatable; keytar always is).
 *   --outdir DIR       output directory (default dist/bundle).
 *   --metafile FILE    where to write esbuild's metafile (default node_modules/.cache/...).
 *   --minify           minify (default on; --no-minify to read the output).
 *   --shebang          start the output with `#!/usr/bin/env node`.
 *   --no-pick          keep whole packages behind destructured dynamic imports, and
 *                      client-node's generated API client behind KubeConfig
 *                      (see pickNamedImports and kubeConfigOnly; for measuring their effect).
 *   --plugin FILE      add the esbuild plugin FILE exports by default (experiments).
 *   --snapshot         (cjs) when run as a V8 startup-snapshot builder,
 *                      evaluate oclif, the commands and the kubeconfig loader then,
 *                      and run the CLI on deserialisation (release-build.mjs).
 *
 * The entry point is generated: it imports every src/commands/** file, exports
 * them as COMMANDS, and runs oclif with an embedded package.json whose command
 * discovery is `explicit`, an embedded manifest, and the root plugin patched to
 * take commands and manifest from memory (no file reads, no import() by path).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as esbuild from 'esbuild'
import { NOTICES_FILE, noticesForBundle } from './third-party-notices.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const { values: opts } = parseArgs({
  options: {
    format: { type: 'string', default: 'esm' },
    external: { type: 'string', multiple: true, default: [] },
    outdir: { type: 'string', default: 'dist/bundle' },
    metafile: { type: 'string' },
    minify: { type: 'boolean', default: true },
    'no-minify': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    shebang: { type: 'boolean', default: false },
    'no-pick': { type: 'boolean', default: false },
    snapshot: { type: 'boolean', default: false },
    plugin: { type: 'string', multiple: true, default: [] },
  },
})
const format = opts.format === 'cjs' ? 'cjs' : 'esm'
const minify = opts.minify && !opts['no-minify']
const outdir = path.resolve(root, opts.outdir)
// keytar is a native optional dependency: it can only be loaded from disk, if installed.
// typescript is only reached by oclif's development-mode tsconfig reader, never in a bundle.
const external = ['keytar', 'typescript', ...opts.external]

/** Every command file under src/commands, with its oclif id (dirs joined by ':'). */
function findCommands(dir = path.join(root, 'src', 'commands'), prefix = []) {
  const found = []
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) {
      found.push(...findCommands(full, [...prefix, name]))
    } else if (/\.ts$/.test(name) && !/\.(d|test)\.ts$/.test(name)) {
      const base = name.replace(/\.ts$/, '')
      const id = [...prefix, base === 'index' ? '' : base].filter(Boolean).join(':')
      found.push({ id, file: full })
    }
  }
  return found
}

const commands = findCommands()
const commandsSource = [
  ...commands.map((c, i) => `import * as C${i} from ${JSON.stringify(c.file)}`),
  `const pick = (m) => m.default ?? Object.values(m).find((v) => typeof v === 'function' && typeof v.run === 'function')`,
  `export const COMMANDS = {${commands.map((c, i) => `${JSON.stringify(c.id)}: pick(C${i})`).join(', ')}}`,
].join('\n')

const pjson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
const shippedPjson = {
  name: pjson.name,
  version: pjson.version,
  description: pjson.description,
  license: pjson.license,
  type: 'module',
  oclif: {
    ...pjson.oclif,
    commands: { strategy: 'explicit', target: './bundle', identifier: 'COMMANDS' },
  },
}

// Pass 1: the commands alone (dependencies external), to compute the manifest
// with oclif's own code, exactly as `oclif manifest` does.
const cacheDir = path.join(root, 'node_modules', '.cache', 'safe-secret-bundle')
mkdirSync(cacheDir, { recursive: true })
const commandsFile = path.join(cacheDir, `commands-${process.pid}.mjs`)
await esbuild.build({
  stdin: { contents: commandsSource, resolveDir: root, loader: 'js', sourcefile: 'commands.js' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  outfile: commandsFile,
  logLevel: 'error',
})
let manifest
try {
  const { Plugin } = await import('@oclif/core')
  const plugin = new Plugin({
    root: cacheDir,
    isRoot: true,
    pjson: {
      ...shippedPjson,
      oclif: {
        ...shippedPjson.oclif,
        commands: { ...shippedPjson.oclif.commands, target: `./${path.basename(commandsFile)}` },
      },
    },
    ignoreManifest: true,
    errorOnManifestCreate: true,
    respectNoCacheDefault: true,
    type: 'core',
  })
  await plugin.load()
  manifest = plugin.manifest
} finally {
  rmSync(commandsFile, { force: true })
}
const ids = Object.keys(manifest.commands).sort()
if (ids.length !== commands.length) {
  throw new Error(`manifest has ${ids.length} commands, sources have ${commands.length}`)
}

// Pass 2: the CLI.
const entrySource = `
// First, before any other module is evaluated: no core dump with values, no echo before a prompt.
import './src/cli/first.ts'
import { main as completionMain } from './bin/completion.mjs'
import { dispatch, writeAnswer } from './src/cli/dispatch.ts'
import { installProcessGuard } from './src/cli/guard.ts'
import { OCLIF_LOAD_OPTIONS } from './src/cli/oclif-options.ts'
const pick = (m) => m.default ?? Object.values(m).find((v) => typeof v === 'function' && typeof v.run === 'function')
// One lazy chunk per command: \`--help\` reads the manifest and loads no command;
// running a command loads that command's module graph only.
const LOADERS = {${commands.map((c) => `${JSON.stringify(c.id)}: () => import(${JSON.stringify(c.file)})`).join(', ')}}
const PJSON = ${JSON.stringify(shippedPjson)}
const MANIFEST = ${JSON.stringify(manifest)}
async function loadCommand(plugin, id) {
  const load = LOADERS[id]
  if (!load) return undefined
  const cmd = pick(await load())
  cmd.id = id
  cmd.plugin = plugin
  return cmd
}
function patchOclif(Plugin) {
const findCommand = Plugin.prototype.findCommand
Plugin.prototype.findCommand = async function (id, opts = {}) {
  if (!this.isRoot) return findCommand.call(this, id, opts)
  const cmd = await loadCommand(this, id)
  if (!cmd && opts.must) throw new Error(\`command \${id} not found\`)
  return cmd
}
const loadCommands = Plugin.prototype.loadCommandsFromTarget
Plugin.prototype.loadCommandsFromTarget = async function () {
  if (!this.isRoot) return loadCommands.call(this)
  if (!this.commandCache) {
    const ids = Object.keys(LOADERS)
    const loaded = await Promise.all(ids.map((id) => loadCommand(this, id)))
    this.commandCache = Object.fromEntries(ids.map((id, i) => [id, loaded[i]]))
  }
  return this.commandCache
}
const readManifest = Plugin.prototype._manifest
Plugin.prototype._manifest = async function () {
  if (!this.isRoot || this.options.ignoreManifest) return readManifest.call(this)
  this.hasManifest = true
  return MANIFEST
}
}
function loadOclif() {
  // oclif checks its own engines field at load: with a whole semver and a package.json
  // a bundle does not have. Skip it (engines are npm's job), without leaking the
  // variable to the processes commands start.
  const engineWarning = process.env.OCLIF_DISABLE_ENGINE_WARNING
  process.env.OCLIF_DISABLE_ENGINE_WARNING = '1'
  return import('@oclif/core').then((m) => {
    if (engineWarning === undefined) delete process.env.OCLIF_DISABLE_ENGINE_WARNING
    else process.env.OCLIF_DISABLE_ENGINE_WARNING = engineWarning
    // A CommonJS module imported dynamically: its exports are on the default export.
    const oclif = m.Plugin ? m : m.default
    patchOclif(oclif.Plugin)
    return oclif
  })
}
function runCli(oclif, args) {
  // The root only serves as oclif's base directory (data, cache and config dirs come from the environment).
  const root = ${format === 'esm' ? 'new URL(".", import.meta.url).pathname' : "typeof __dirname === 'string' ? __dirname : process.cwd()"}
  return oclif.execute({ args, loadOptions: { ...OCLIF_LOAD_OPTIONS, root, pjson: PJSON } })
}
function main() {
  // Invoked as kubectl_complete-safe_secret (a link to this executable): completion
  // from the manifest, without loading oclif.
  const invokedAs = (process.argv0 || '').split(/[\\\\/]/).pop() || ''
  // bin/kubectl_complete-safe_secret of an installed package sets the symbol, then loads this bundle.
  if (/^kubectl_complete-/.test(invokedAs) || globalThis[Symbol.for('kubectl-safe-secret.complete')]) {
    const live = () => import('./src/cli/complete-live.ts')
    // A lookup that timed out may still hold a socket or a child: completion is done.
    return completionMain(MANIFEST, process.argv.slice(2), process.stdout, { topics: PJSON.oclif?.topics, live }).then(() => process.exit())
  }
  // Any failure no command handled still ends as one \`error:\` line (src/cli/guard.ts).
  installProcessGuard()
  // Help, --version and unknown commands: from the manifest, without loading oclif.
  const runtime = { platform: process.platform, arch: process.arch, nodeVersion: process.version }
  const next = dispatch(process.argv.slice(2), MANIFEST, PJSON, runtime)
  if ('answer' in next) process.exitCode = writeAnswer(next.answer, process)
  else if (preloaded) runCli(preloaded, next.run)
  else loadOclif().then((oclif) => runCli(oclif, next.run))
}
let preloaded
${
  opts.snapshot
    ? `// A V8 startup snapshot (Node single executable, useSnapshot): while building it,
// evaluate oclif, every command's module graph and the kubeconfig loader, and run
// the pure code of create's first steps (src/cli/snapshot-warm-up.ts), so that a
// run starts with them in the heap, compiled; run the CLI when the snapshot is deserialised.
// node:http, node:https, node:tls and node:net cannot be in a snapshot: the
// lazy-modules plugin makes them load on first use, after deserialisation.
const v8 = require('node:v8')
if (v8.startupSnapshot.isBuildingSnapshot()) {
  Promise.all([
    loadOclif(),
    import('@kubernetes/client-node/dist/config.js'),
    LOADERS.create(),
    import('./src/cli/snapshot-warm-up.ts'),
    ...Object.values(LOADERS).map((load) => load()),
    import('./src/kube/kubeconfig.ts'),
    import('./src/kube/client.ts'),
  ])
    .then(([oclif, { KubeConfig }, create, { warmUpForSnapshot }]) => {
      preloaded = oclif
      return warmUpForSnapshot({ KubeConfig, parse: oclif.Parser.parse, create: pick(create) })
    })
    .catch((err) => {
      // A snapshot without what the build meant to put in it must not ship.
      console.error(err)
      process.exit(1)
    })
  v8.startupSnapshot.setDeserializeMainFunction(main)
} else main()`
    : 'main()'
}
`

// In a Node single executable, the main script's require() loads built-in modules
// only (and warns on anything else, even inside try/catch). Route other ids to a
// real require() rooted next to the executable (e.g. an optional keytar there).
const SEA_REQUIRE = [
  "let __ssIsSea = false; try { __ssIsSea = require('node:sea').isSea() } catch {}",
  'if (__ssIsSea) {',
  "  const { createRequire, isBuiltin } = require('node:module');",
  '  const builtin = require;',
  // execPath is argv[0] as given when /proc is not mounted (a bare chroot): make it absolute.
  "  const disk = createRequire(require('node:path').resolve(process.execPath));",
  '  require = Object.assign((id) => (isBuiltin(id) ? builtin(id) : disk(id)), { resolve: disk.resolve, cache: disk.cache });',
  '}',
].join('\n')

/**
 * "Only the parts used": `const { KubeConfig } = await import('@kubernetes/client-node')`
 * keeps the whole package (3.4 MB of generated API models) because a dynamic
 * import yields the full namespace. Rewrite such destructured dynamic imports
 * of these packages into an import of a module that re-exports just those names,
 * so esbuild tree-shakes the rest out of the lazy chunk.
 */
const PICK_PACKAGES = ['@kubernetes/client-node', '@inquirer/prompts']
const pickNamedImports = {
  name: 'pick-named-dynamic-imports',
  setup(build) {
    const pattern = new RegExp(
      String.raw`const\s*\{([\w\s,]+)\}\s*=\s*await\s+import\(\s*['"](${PICK_PACKAGES.map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})['"]\s*\)`,
      'g',
    )
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (!PICK_PACKAGES.some((p) => source.includes(p))) return undefined
      const contents = source.replace(pattern, (_m, names, pkg) => {
        const list = names
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean)
        return `const {${list.join(', ')}} = await import(${JSON.stringify(`ss-pick:${pkg}?${list.join(',')}`)})`
      })
      return { contents, loader: 'ts' }
    })
    build.onResolve({ filter: /^ss-pick:/ }, (args) => ({ path: args.path, namespace: 'ss-pick' }))
    build.onLoad({ filter: /.*/, namespace: 'ss-pick' }, (args) => {
      const [pkg, names] = args.path.slice('ss-pick:'.length).split('?')
      return {
        contents: `export { ${names.split(',').join(', ')} } from ${JSON.stringify(pkg)}`,
        resolveDir: root,
        loader: 'js',
      }
    })
  },
}

/**
 * In an ES module, `import http from 'node:http'` builds the module's namespace,
 * which reads every export, and node:http's WebSocket, CloseEvent and MessageEvent
 * are getters that load Node's bundled undici (with http2, zlib and web streams):
 * 40-60 ms at start-up on the create path, for classes we never use. A CommonJS
 * require() of node:http returns the module object without reading them, so
 * the ESM bundle takes node:http through require() (esbuild's interop reads an
 * export only when it is used). The CommonJS bundle already does.
 */
const httpWithoutUndici = {
  name: 'http-without-undici',
  setup(build) {
    build.onResolve({ filter: /^(node:)?http$/ }, (args) =>
      args.namespace === 'cjs-builtin'
        ? { path: 'node:http', external: true }
        : { path: 'node:http', namespace: 'cjs-builtin' },
    )
    build.onLoad({ filter: /.*/, namespace: 'cjs-builtin' }, () => ({
      loader: 'js',
      contents: "module.exports = require('node:http')",
    }))
  },
}

/**
 * "Only the parts used", for client-node's KubeConfig (src/kube/kubeconfig.ts imports
 * dist/config.js, not the package's index). config.js (client-node 2) still imports
 * two things only its fetch-based paths (makeApiClient, applyToFetchOptions,
 * createDispatcher) use, and we call none of them: we send requests on node:https
 * with the agent applyToHTTPSOptions builds. Point them at stubs that throw on use:
 *  - the generated API client (316 KiB of models, all evaluated at load);
 *  - undici's Agent and ProxyAgent (735 KiB, the fetch dispatcher).
 */
const kubeConfigOnly = {
  name: 'kubeconfig-only',
  setup(build) {
    const fromConfig = (args) =>
      /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]config\.js$/.test(args.importer)
    build.onResolve({ filter: /^(\.\/gen\/index\.js|undici)$/ }, (args) =>
      fromConfig(args) ? { path: args.path, namespace: 'kubeconfig-only' } : undefined,
    )
    build.onLoad({ filter: /.*/, namespace: 'kubeconfig-only' }, (args) => {
      const what =
        args.path === 'undici'
          ? 'undici (KubeConfig.createDispatcher)'
          : 'the generated Kubernetes API client (KubeConfig.makeApiClient)'
      const missing = `const missing = () => { throw new Error(${JSON.stringify(`${what} is not bundled`)}) }`
      return {
        loader: 'js',
        contents:
          args.path === 'undici'
            ? [
                missing,
                'export class Agent { constructor() { missing() } }',
                'export class ProxyAgent { constructor() { missing() } }',
              ].join('\n')
            : [
                missing,
                'export const createConfiguration = missing',
                'export class ServerConfiguration { constructor() { missing() } }',
              ].join('\n'),
      }
    })
  },
}

/**
 * oclif's Plugin.load sorts the command list with String#localeCompare. The first
 * localeCompare of a process builds ICU's collator for the locale: 5-8 ms on every
 * run, for an order only oclif's own help shows (ours renders from the manifest).
 * Command ids are ASCII, so code-point order is the same list. The build fails if
 * an oclif upgrade changes the line, rather than silently paying the collator again.
 */
const OCLIF_COMMAND_SORT = '.sort((a, b) => a.id.localeCompare(b.id))'
const oclifSortWithoutCollator = {
  name: 'oclif-sort-without-collator',
  setup(build) {
    build.onLoad({ filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (!source.includes(OCLIF_COMMAND_SORT)) {
        throw new Error(`${args.path}: oclif's command sort changed; review oclifSortWithoutCollator`)
      }
      return {
        loader: 'js',
        contents: source.replace(
          OCLIF_COMMAND_SORT,
          '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))',
        ),
      }
    })
  },
}

/**
 * Modules evaluated only when first used. Each import of one becomes a CommonJS
 * stand-in whose properties load the real module on first access, so that a
 * module which only names it at load costs nothing until the name is used. The
 * stand-in lists the real module's export names (read here, at bundle time),
 * because esbuild's CommonJS interop copies them as getters (read on use).
 * - In both bundles, packages no run needs unless a proxy is set (hpagent,
 *   socks-proxy-agent and socks, with ip-address: 3-4 ms at every start), or that
 *   oclif only uses to discover commands by glob, which our explicit command
 *   list never does (tinyglobby with picomatch and fdir, minimatch).
 * - For a V8 startup snapshot (--snapshot), also node:http (a global handle Node
 *   cannot serialise), node:tls (an unknown external reference), node:https,
 *   node:net and node:http2: they load after deserialisation.
 */
const LAZY_PACKAGES = ['hpagent', 'socks-proxy-agent', 'socks', 'tinyglobby', 'minimatch']
const SNAPSHOT_DEFERRED_BUILTINS = ['http', 'https', 'tls', 'net', 'http2']
const requireHere = createRequire(import.meta.url)
function lazyModules({ builtins }) {
  return {
    name: 'lazy-modules',
    setup(build) {
      const builtin = new RegExp(`^(node:)?(${builtins.join('|')})$`)
      const pkg = new RegExp(`^(${LAZY_PACKAGES.join('|')})$`)
      if (builtins.length > 0) {
        build.onResolve({ filter: builtin }, (args) =>
          args.namespace === 'lazy'
            ? { path: args.path, external: true }
            : { path: `node:${args.path.replace(/^node:/, '')}`, namespace: 'lazy' },
        )
      }
      // A package is resolved from its importer (versions may differ across the tree),
      // and the stand-in requires that file, which esbuild then bundles.
      build.onResolve({ filter: pkg }, async (args) => {
        if (args.namespace === 'lazy' || args.pluginData?.lazyResolve) return undefined
        const real = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { lazyResolve: true },
        })
        if (real.errors.length > 0) return { errors: real.errors }
        // The stand-in's own path names no file: the real one is what the notices list.
        return { path: args.path, namespace: 'lazy', pluginData: { file: real.path } }
      })
      build.onLoad({ filter: /.*/, namespace: 'lazy' }, async (args) => {
        const file = args.pluginData?.file ?? args.path
        const real = file.startsWith('node:') ? await import(file) : requireHere(file)
        if (typeof real !== 'object' || real === null) {
          throw new Error(`${file}: a lazy stand-in needs an object of exports, not a ${typeof real}`)
        }
        const keys = Object.keys(real).filter((k) => k !== 'default' && k !== '__esModule')
        return {
          loader: 'js',
          resolveDir: root,
          contents: [
            `let real`,
            // A package is required by its real path (bundled), a builtin stays external.
            `const load = () => (real ??= require(${JSON.stringify(file)}))`,
            `const keys = ${JSON.stringify(keys)}`,
            `module.exports = new Proxy({}, {`,
            `  get: (_, k) => (k === '__esModule' ? undefined : load()[k]),`,
            `  has: (_, k) => keys.includes(k),`,
            `  ownKeys: () => keys,`,
            `  getOwnPropertyDescriptor: (_, k) => (keys.includes(k) ? { configurable: true, enumerable: true, writable: true, value: undefined } : undefined),`,
            `})`,
          ].join('\n'),
        }
      })
    },
  }
}

rmSync(outdir, { recursive: true, force: true })
mkdirSync(outdir, { recursive: true })
const outExt = format === 'esm' ? '.mjs' : '.cjs'
const result = await esbuild.build({
  // Metafile paths relative to the repository, wherever the script runs from.
  absWorkingDir: root,
  stdin: { contents: entrySource, resolveDir: root, loader: 'js', sourcefile: 'kubectl-safe_secret.js' },
  bundle: true,
  platform: 'node',
  format,
  target: 'node22',
  splitting: format === 'esm',
  outdir,
  entryNames: 'kubectl-safe_secret',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': outExt },
  external,
  minify,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  plugins: [
    oclifSortWithoutCollator,
    ...(opts['no-pick'] ? [] : [pickNamedImports, kubeConfigOnly]),
    lazyModules({ builtins: opts.snapshot ? SNAPSHOT_DEFERRED_BUILTINS : [] }),
    ...(format === 'esm' ? [httpWithoutUndici] : []),
    // Experiments (e.g. a patched source file to measure a proposed change).
    ...(await Promise.all(opts.plugin.map(async (p) => (await import(path.resolve(p))).default))),
  ],
  // CommonJS dependencies call require(): give the ESM output a real one.
  banner: {
    js: [
      opts.shebang ? '#!/usr/bin/env node' : '',
      format === 'esm'
        ? "import { createRequire as __ssCreateRequire } from 'node:module'; const require = __ssCreateRequire(import.meta.url);"
        : SEA_REQUIRE,
    ]
      .filter(Boolean)
      .join('\n'),
  },
  define: { 'process.env.NODE_ENV': '"production"' },
})

const outputs = Object.entries(result.metafile.outputs).map(([file, o]) => ({
  file: path.relative(root, path.resolve(root, file)),
  bytes: o.bytes,
}))
writeFileSync(
  opts.metafile ? path.resolve(opts.metafile) : path.join(cacheDir, `meta-${format}.json`),
  JSON.stringify(result.metafile),
)
// The bundle redistributes its dependencies: their licences go with it.
writeFileSync(
  path.join(outdir, NOTICES_FILE),
  noticesForBundle(root, result.metafile, `${pjson.name} ${pjson.version}`),
)
// For bin/kubectl_complete-safe_secret in an installed package.
writeFileSync(path.join(outdir, 'oclif.manifest.json'), JSON.stringify(manifest))
if (!opts.quiet) {
  for (const o of outputs) console.error(`bundle: ${o.file} ${(o.bytes / 1024).toFixed(0)} KiB`)
  console.error(`bundle: ${ids.length} commands: ${ids.join(', ')}`)
}
