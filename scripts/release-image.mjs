#!/usr/bin/env node
/**
 * Builds the reaper's container image without a daemon (`npm run release:image`):
 * an OCI image archive (a tarball of an oci-layout directory) holding the
 * linux/amd64 single executable and the few shared libraries it links, taken
 * from Debian's packages. Distroless-like: no shell, no package manager, a
 * non-root user (65532). Pushed by the release workflow with
 * `skopeo copy oci-archive:FILE:TAG docker://REF`.
 *
 *   node scripts/release-image.mjs [--outdir release] [--archive FILE]
 *
 * --archive: the linux/amd64 release archive to take the executable, its
 * licences and THIRD_PARTY_NOTICES from (default: OUTDIR's, built with
 * release-build.mjs when missing).
 *
 * Tool: umoci (Debian's package, `apt-get install umoci`; setup.sh installs it).
 * It writes OCI image layouts natively, as a plain unprivileged process, and the
 * executable's libraries come from the same Debian archive, so one package
 * source covers the whole build. go-containerregistry's crane was the other
 * candidate: it would be built from the Go module proxy, and it is built around
 * registries (an OCI layout only through `crane pull --format=oci`).
 *
 * Layers: 1. base: /etc/passwd and /etc/group (root, nonroot 65532), /home/nonroot,
 * /tmp, the shared libraries `ldd` lists (with the dynamic loader), their Debian
 * copyright files and dpkg status entries (/var/lib/dpkg/status.d, as distroless
 * has, for scanners); 2. app: /usr/local/bin/kubectl-safe_secret and
 * /usr/share/doc/kubectl-safe-secret/{LICENSE,LICENSE-node,THIRD_PARTY_NOTICES}.
 * File times, history and the creation time are the epoch, so the image changes
 * only when its content does.
 */
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { archiveName, HOMEPAGE, PLATFORMS } from './krew-manifest.mjs'
import { NOTICES_FILE } from './third-party-notices.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values: opts } = parseArgs({
  options: {
    outdir: { type: 'string', default: 'release' },
    archive: { type: 'string' },
  },
})
const outdir = path.resolve(root, opts.outdir)
const { version, description } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
const linux = PLATFORMS.find((p) => p.os === 'linux' && p.arch === 'amd64')
const log = (msg) => process.stderr.write(`image: ${msg}\n`)
const sh = (cmd, args, options = {}) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options })

const IMAGE_TAG = `v${version}`
const IMAGE_FILE = `kubectl-safe-secret_v${version}_linux_amd64.oci.tar`
const NONROOT = 65532
const EXECUTABLE = '/usr/local/bin/kubectl-safe_secret'
const EPOCH = '1970-01-01T00:00:00Z'

// 1. The executable and its licences, from the release archive.
const archive = path.resolve(opts.archive ?? path.join(outdir, archiveName(version, linux)))
if (!existsSync(archive)) {
  log(`${path.relative(root, archive)} missing: building it`)
  sh(
    process.execPath,
    [path.join(root, 'scripts', 'release-build.mjs'), '--platforms', 'linux/amd64', '--outdir', outdir],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  )
}
const work = path.join(outdir, 'image-build')
rmSync(work, { recursive: true, force: true })
const unpacked = path.join(work, 'archive')
mkdirSync(unpacked, { recursive: true })
sh('tar', ['-xzf', archive, '-C', unpacked])

// 2. The base layer: the libraries the executable links, from Debian's packages.
const base = path.join(work, 'base')
const debCache = path.join(
  process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'),
  'kubectl-safe-secret',
  'debs',
)
mkdirSync(debCache, { recursive: true })

/** The shared objects the dynamic loader maps for the executable (ldd), the loader included. */
function neededLibraries(executable) {
  const out = sh('ldd', [executable])
  const libs = []
  for (const line of out.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line)
    if (m?.[1]) libs.push(m[1])
  }
  if (!libs.some((l) => l.includes('ld-linux'))) throw new Error(`ldd lists no dynamic loader:\n${out}`)
  return libs
}

/** The same path with and without the /usr prefix (Debian's merged /usr: dpkg knows one of them). */
const aliases = (p) => (p.startsWith('/usr/') ? [p, p.slice(4)] : [p, `/usr${p}`])

/** The Debian package that ships a file, with its installed version. */
function owningPackage(file) {
  for (const candidate of [
    ...aliases(file),
    ...aliases(path.resolve(path.dirname(file), readlinkSafe(file))),
  ]) {
    let owner
    try {
      // "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6"
      owner = sh('dpkg', ['-S', candidate], { stdio: ['ignore', 'pipe', 'ignore'] }).split(': ')[0]
    } catch {
      continue
    }
    // "libc6:amd64\t2.36-9+deb12u13"
    const [id, version] = sh('dpkg-query', ['-W', owner]).trim().split('\t')
    const [name, arch] = id.split(':')
    return { name, arch, version }
  }
  throw new Error(`no Debian package ships ${file}`)
}

function readlinkSafe(file) {
  try {
    return readlinkSync(file)
  } catch {
    return path.basename(file)
  }
}

/** The package's .deb (apt-get download, cached by name and version), unpacked. */
function unpackDeb(pkg) {
  const dir = path.join(debCache, `${pkg.name}_${pkg.version}_${pkg.arch}`)
  if (existsSync(path.join(dir, 'DEBIAN', 'control'))) return dir
  // Private directories, renamed into place when complete: concurrent builds never see half a package.
  const download = mkdtempSync(path.join(debCache, '.download-'))
  log(`apt-get download ${pkg.name}=${pkg.version}`)
  sh(
    'apt-get',
    ['download', '-q', '-o', 'APT::Sandbox::User=root', `${pkg.name}:${pkg.arch}=${pkg.version}`],
    {
      cwd: download,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  const deb = readdirSync(download).find((f) => f.endsWith('.deb'))
  if (!deb) throw new Error(`apt-get download ${pkg.name} gave no .deb`)
  const tmp = mkdtempSync(`${dir}.tmp-`)
  rmSync(tmp, { recursive: true })
  sh('dpkg-deb', ['-R', path.join(download, deb), tmp])
  try {
    renameSync(tmp, dir)
  } catch {
    rmSync(tmp, { recursive: true, force: true }) // another build put it in place first
  }
  rmSync(download, { recursive: true, force: true })
  return dir
}

/** Copies FILE (an absolute path in the package) from the unpacked .deb, following its symlinks. */
function copyFromDeb(debDir, file, seen = new Set()) {
  const found = aliases(file).find((p) => existsSync(path.join(debDir, p)) || isLink(path.join(debDir, p)))
  if (!found) throw new Error(`${file} is not in ${path.basename(debDir)}`)
  if (seen.has(found)) return
  seen.add(found)
  const from = path.join(debDir, found)
  const to = path.join(base, found)
  mkdirSync(path.dirname(to), { recursive: true })
  if (isLink(from)) {
    const target = readlinkSync(from)
    if (!isLink(to) && !existsSync(to)) symlinkSync(target, to)
    copyFromDeb(debDir, path.resolve(path.dirname(found), target), seen)
  } else {
    copyFileSync(from, to)
    chmodSync(to, statSync(from).mode & 0o755)
  }
}

function isLink(p) {
  try {
    return lstatSync(p).isSymbolicLink()
  } catch {
    return false
  }
}

/**
 * A package's copyright file. Some packages' doc directory is a link to the one
 * of the package they come from (libstdc++6 and libgcc-s1 -> gcc-12-base): then
 * the file comes from that package's .deb.
 */
function copyrightFile(pkg) {
  const docDir = path.join(pkg.debDir, 'usr', 'share', 'doc', pkg.name)
  if (!isLink(docDir)) return path.join(docDir, 'copyright')
  const file = path.join('/usr/share/doc', readlinkSync(docDir), 'copyright')
  return path.join(unpackDeb(owningPackage(file)), file)
}

const executable = path.join(unpacked, 'kubectl-safe_secret')
const packages = new Map()
const libraries = []
for (const lib of neededLibraries(executable)) {
  const pkg = owningPackage(lib)
  const debDir = unpackDeb(pkg)
  copyFromDeb(debDir, lib)
  libraries.push({ lib, pkg: pkg.name })
  packages.set(pkg.name, { ...pkg, debDir })
}
for (const pkg of packages.values()) {
  // The licence terms of what we redistribute, and what a scanner reads to know the versions.
  const doc = path.join(base, 'usr', 'share', 'doc', pkg.name)
  mkdirSync(doc, { recursive: true })
  copyFileSync(copyrightFile(pkg), path.join(doc, 'copyright'))
  mkdirSync(path.join(base, 'var', 'lib', 'dpkg', 'status.d'), { recursive: true })
  const control = readFileSync(path.join(pkg.debDir, 'DEBIAN', 'control'), 'utf8').trimEnd()
  writeFileSync(
    path.join(base, 'var', 'lib', 'dpkg', 'status.d', pkg.name),
    `${control}\nStatus: install ok installed\n`,
  )
}
mkdirSync(path.join(base, 'etc'), { recursive: true })
writeFileSync(
  path.join(base, 'etc', 'passwd'),
  `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/sbin/nologin\n`,
)
writeFileSync(path.join(base, 'etc', 'group'), `root:x:0:\nnonroot:x:${NONROOT}:\n`)
mkdirSync(path.join(base, 'home', 'nonroot'), { recursive: true })
chownSync(path.join(base, 'home', 'nonroot'), NONROOT, NONROOT)
chmodSync(path.join(base, 'home', 'nonroot'), 0o700)
mkdirSync(path.join(base, 'tmp'))
chmodSync(path.join(base, 'tmp'), 0o1777)

// 3. The app layer.
const app = path.join(work, 'app')
mkdirSync(path.join(app, 'usr', 'local', 'bin'), { recursive: true })
copyFileSync(executable, path.join(app, EXECUTABLE))
chmodSync(path.join(app, EXECUTABLE), 0o755)
const docDir = path.join(app, 'usr', 'share', 'doc', 'kubectl-safe-secret')
mkdirSync(docDir, { recursive: true })
for (const f of ['LICENSE', 'LICENSE-node', NOTICES_FILE])
  copyFileSync(path.join(unpacked, f), path.join(docDir, f))

for (const dir of [base, app]) sh('find', [dir, '-exec', 'touch', '-h', '-d', '@0', '{}', '+'])

// 4. The image, with umoci.
const layout = path.join(work, 'oci')
const image = `${layout}:${IMAGE_TAG}`
const history = (createdBy) => [
  '--history.created',
  EPOCH,
  '--history.author',
  'release-image.mjs',
  '--history.created_by',
  createdBy,
]
sh('umoci', ['init', '--layout', layout])
sh('umoci', ['new', '--image', image])
// unpack + repack per layer: umoci 0.4.7's `insert` writes layers whose tar stream is cut short.
const bundle = path.join(work, 'bundle')
sh('umoci', ['unpack', '--image', image, bundle])
for (const [dir, createdBy] of [
  [base, 'base: libraries from Debian packages, passwd, nonroot home'],
  [app, `app: kubectl-safe_secret ${version}, its licences and notices`],
]) {
  sh('cp', ['-a', `${dir}/.`, path.join(bundle, 'rootfs')])
  sh('touch', ['-h', '-d', '@0', path.join(bundle, 'rootfs')])
  sh('umoci', ['repack', '--refresh-bundle', '--image', image, ...history(createdBy), bundle])
}
const labels = {
  'org.opencontainers.image.title': 'kubectl-safe-secret',
  'org.opencontainers.image.description': description,
  'org.opencontainers.image.version': version,
  'org.opencontainers.image.source': HOMEPAGE,
  'org.opencontainers.image.licenses': 'Apache-2.0',
}
sh('umoci', [
  'config',
  '--image',
  image,
  '--no-history',
  '--created',
  EPOCH,
  '--author',
  HOMEPAGE,
  '--os',
  'linux',
  '--architecture',
  'amd64',
  '--config.user',
  `${NONROOT}:${NONROOT}`,
  '--config.workingdir',
  '/home/nonroot',
  '--config.env',
  'PATH=/usr/local/bin:/usr/bin:/bin',
  '--config.env',
  'HOME=/home/nonroot',
  '--config.entrypoint',
  EXECUTABLE,
  // What the CronJob runs with --scope=cluster (reaper-manifests.ts sets its own command and args).
  '--config.cmd',
  'reap',
  '--config.cmd',
  '--all-namespaces',
  ...Object.entries(labels).flatMap(([k, v]) => ['--config.label', `${k}=${v}`]),
  ...Object.entries(labels).flatMap(([k, v]) => ['--manifest.annotation', `${k}=${v}`]),
])
sh('umoci', ['gc', '--layout', layout])

const out = path.join(outdir, IMAGE_FILE)
const tar = execFileSync(
  'tar',
  ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-C', layout, '-cf', '-', '.'],
  { maxBuffer: 1 << 30 },
)
writeFileSync(out, tar)

// What it holds, for the release notes.
const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8'))
const blob = (d) => path.join(layout, 'blobs', ...d.split(':'))
const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'))
log(
  `${path.relative(root, out)} ${(tar.length / 1048576).toFixed(1)} MiB, tag ${IMAGE_TAG}, manifest ${index.manifests[0].digest}`,
)
for (const [i, layer] of manifest.layers.entries())
  log(`layer ${i + 1}: ${(layer.size / 1048576).toFixed(1)} MiB compressed ${layer.digest}`)
for (const { lib, pkg } of libraries) log(`library ${lib} (Debian ${pkg} ${packages.get(pkg).version})`)
rmSync(work, { recursive: true, force: true })
