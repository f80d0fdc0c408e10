/**
 * The krew release as users get it: `release:build` for linux/amd64 (a Node
 * single executable), the manifest it writes checked by the real krew's
 * validate-krew-manifest (built from sigs.k8s.io/krew at v0.4.3, which installs
 * every platform of the manifest with the real `kubectl krew`), the archive
 * installed by the real krew into a KREW_ROOT, the caveat's completion link made
 * and removed as written, then `kubectl safe-secret` through the real kubectl
 * with no Node.js, no repository and no node_modules reachable.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { parse } from 'yaml'
import type { KrewManifest, KrewPlatform } from '../../scripts/krew-manifest.mjs'
import {
  archiveName,
  COMPLETION_LINK,
  COMPLETION_UNLINK,
  DEFAULT_BASE_URL,
  PLATFORMS,
  validateManifest,
} from '../../scripts/krew-manifest.mjs'
import { createNamespace, getSecret, uniqueName } from '../helpers/cluster-api.js'
import { goTool, KREW_VERSION } from '../helpers/go-tool.js'
import { installOclifUserPlugin } from '../helpers/oclif-user-plugin.js'
import { repoRoot, run } from '../helpers/plugin.js'
import { storeEntry } from '../setup/keyring.js'

const cluster = inject('cluster')
const keyring = inject('keyring')
const work = mkdtempSync(path.join(tmpdir(), 'safe-secret-krew-'))
const releaseDir = path.join(work, 'release')
const krewRoot = path.join(work, 'krew')
const krewBin = path.join(krewRoot, 'bin')
/** kubectl-krew, found by kubectl as a plugin. */
const toolsBin = path.join(work, 'tools')
const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string
}
const linux = PLATFORMS.find((p) => p.os === 'linux' && p.arch === 'amd64')
if (!linux) throw new Error('no linux/amd64 platform')
const archive = path.join(releaseDir, archiveName(version, linux))
const manifestFile = path.join(releaseDir, 'safe-secret.yaml')
let manifest: KrewManifest
let platform: KrewPlatform
let validateKrewManifest = ''
let server: Server | undefined
let krewInstallOutput = ''

function env() {
  // No Node.js directory on PATH: the single executable carries its own.
  return {
    PATH: [krewBin, toolsBin, cluster.binDir, '/usr/bin', '/bin'].join(':'),
    HOME: mkdtempSync(path.join(work, 'home-')),
    KUBECONFIG: cluster.kubeconfig,
    KREW_ROOT: krewRoot,
    LANG: 'C.UTF-8',
  }
}

function kubectl(args: string[], stdin?: string) {
  return run(path.join(cluster.binDir, 'kubectl'), args, { env: env(), cleanEnv: true, cwd: work, stdin })
}

/** A caveat command, run by a shell as a user would paste it. */
function shell(command: string) {
  return run('/bin/sh', ['-c', command], { env: env(), cleanEnv: true, cwd: work })
}

/** Serves the release directory over loopback HTTP, as the release page would serve the assets. */
async function serveRelease(): Promise<string> {
  server = createServer((req, res) => {
    const file = path.join(releaseDir, path.basename(decodeURIComponent(req.url ?? '')))
    if (!existsSync(file)) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  const listening = server
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve))
  const address = listening.address()
  if (!address || typeof address === 'string') throw new Error('no address')
  return `http://127.0.0.1:${address.port}`
}

beforeAll(async () => {
  execFileSync(
    process.execPath,
    [
      path.join(repoRoot, 'scripts', 'release-build.mjs'),
      '--platforms',
      'linux/amd64',
      '--outdir',
      releaseDir,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  manifest = parse(readFileSync(manifestFile, 'utf8'))
  const found = manifest.spec.platforms.find(
    (p: KrewPlatform) => p.selector.matchLabels.os === 'linux' && p.selector.matchLabels.arch === 'amd64',
  )
  if (!found) throw new Error('no linux/amd64 platform in the generated manifest')
  platform = found
  mkdirSync(path.join(work, 'unpack'))
  execFileSync('tar', ['-xzf', archive, '-C', path.join(work, 'unpack')])
  mkdirSync(toolsBin, { recursive: true })
  symlinkSync(goTool('sigs.k8s.io/krew/cmd/krew', KREW_VERSION), path.join(toolsBin, 'kubectl-krew'))
  validateKrewManifest = goTool('sigs.k8s.io/krew/cmd/validate-krew-manifest', KREW_VERSION)
  // krew's uninstall refuses to run without a plugin index (a git clone of
  // krew-index, which cannot be fetched here): an empty local one, as a private index has.
  execFileSync('git', ['init', '-q', path.join(krewRoot, 'index', 'default')])
  // Installed by the real krew from the archive in hand (it checks the manifest's sha256).
  const install = await kubectl(['krew', 'install', `--manifest=${manifestFile}`, `--archive=${archive}`])
  if (install.code !== 0) throw new Error(`krew install failed: ${install.stderr}`)
  krewInstallOutput = install.stdout + install.stderr
}, 900_000)

afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  rmSync(work, { recursive: true, force: true })
})

describe('krew release', () => {
  it('writes a manifest that the real krew validates and installs (validate-krew-manifest)', async () => {
    // The manifest as written, with the release download URL pointed at a loopback
    // server holding the same assets: validate-krew-manifest downloads each platform.
    const base = await serveRelease()
    const checked = path.join(mkdtempSync(path.join(work, 'validate-')), 'safe-secret.yaml')
    writeFileSync(
      checked,
      readFileSync(manifestFile, 'utf8').replaceAll(`${DEFAULT_BASE_URL}/v${version}`, base),
    )
    // Asynchronously: this process serves the download.
    const res = await run(validateKrewManifest, ['-manifest', checked], {
      cleanEnv: true,
      env: { PATH: [toolsBin, cluster.binDir, '/usr/bin', '/bin'].join(':'), HOME: work },
      timeoutMs: 300_000,
    })
    expect(res.stderr).toContain('structural validation OK')
    expect(res.stderr).toContain(`all ${manifest.spec.platforms.length} spec.platforms installed fine`)
    expect(res.code).toBe(0)
  })

  it('writes the sha256 of the archive, and our own validation agrees with krew', () => {
    expect(validateManifest('safe-secret.yaml', manifest)).toEqual([])
    const sum = createHash('sha256').update(readFileSync(archive)).digest('hex')
    expect(platform.sha256).toBe(sum)
    expect(platform.uri).toBe(`${DEFAULT_BASE_URL}/v${version}/${path.basename(archive)}`)
  })

  it("ships a self-contained executable, its licences and the bundled packages' notices", () => {
    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n').sort()
    expect(listing).toEqual(['LICENSE', 'LICENSE-node', 'THIRD_PARTY_NOTICES', 'kubectl-safe_secret'])
    const head = readFileSync(path.join(work, 'unpack', 'kubectl-safe_secret')).subarray(0, 4)
    expect(head.toString('latin1')).toBe('\x7fELF')
    const notices = readFileSync(path.join(work, 'unpack', 'THIRD_PARTY_NOTICES'), 'utf8')
    expect(notices).toMatch(/^Package: @kubernetes\/client-node \S+\nLicense: Apache-2\.0$/m)
  })

  it('is installed by krew, which prints the caveats', () => {
    expect(krewInstallOutput).toContain('Installed plugin: safe-secret')
    expect(krewInstallOutput).toContain(COMPLETION_LINK)
    const store = path.join(krewRoot, 'store', 'safe-secret', manifest.spec.version)
    expect(existsSync(path.join(store, 'THIRD_PARTY_NOTICES'))).toBe(true)
    expect(lstatSync(path.join(krewBin, 'kubectl-safe_secret')).isSymbolicLink()).toBe(true)
  })

  it('runs `kubectl safe-secret --help` through the real kubectl', async () => {
    const res = await kubectl(['safe-secret', '--help'])
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('kubectl safe-secret [command] [options]')
    expect(res.stdout).toContain('create')
  })

  it('creates a Secret from stdin against the cluster', async () => {
    const ns = await createNamespace(cluster, 'krew')
    const name = uniqueName('krew')
    const value = `v-${uniqueName('x')}`
    const res = await kubectl(['safe-secret', 'create', name, '--from-stdin=token', '-n', ns], value)
    expect(res.stderr).not.toContain(value)
    expect(res.stdout).not.toContain(value)
    expect(res.code).toBe(0)
    const secret = await getSecret(cluster, ns, name)
    expect(Buffer.from(secret?.data?.token ?? '', 'base64').toString()).toBe(value)
  })

  it("never loads oclif's user plugins", async () => {
    const home = mkdtempSync(path.join(work, 'home-'))
    const plugin = installOclifUserPlugin(home)
    const ns = await createNamespace(cluster, 'krew')
    const res = await run(
      path.join(cluster.binDir, 'kubectl'),
      ['safe-secret', 'create', uniqueName('up'), '--from-stdin=k', '-n', ns],
      {
        env: { ...env(), HOME: home },
        cleanEnv: true,
        cwd: work,
        stdin: 'value',
      },
    )
    expect(res.code, res.stderr).toBe(0)
    expect(plugin.ran()).toBe(false)
  })

  it('was built with a V8 startup snapshot and the code cache', () => {
    const sea = JSON.parse(readFileSync(path.join(releaseDir, 'build', 'linux_amd64.sea.json'), 'utf8'))
    expect(sea).toMatchObject({ useSnapshot: true, useCodeCache: true })
  })

  it('runs every kind of command from its startup snapshot: timers, list, extend, revoke, reap, keychain', async () => {
    // The snapshot holds oclif, every command and the kubeconfig loader, evaluated
    // at build time; node:http/https/tls load after deserialisation. Each command
    // family must work from it as from the npm bundle.
    const ns = await createNamespace(cluster, 'krew-snap')
    const name = uniqueName('snap')
    const value = `v-${uniqueName('x')}`
    const created = await kubectl(
      ['safe-secret', 'create', name, '--from-stdin=k', '-n', ns, '--ttl', '1h'],
      value,
    )
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    const list = await kubectl(['safe-secret', 'list', '-n', ns, '-o', 'json'])
    expect(list.code).toBe(0)
    expect(list.stdout).toContain(name)
    expect(list.stdout).not.toContain(value)
    expect((await kubectl(['safe-secret', 'extend', name, '-n', ns, '--ttl', '2h'])).code).toBe(0)
    expect((await kubectl(['safe-secret', 'reap', '-n', ns, '--dry-run'])).code).toBe(0)
    const whoami = await kubectl(['safe-secret', 'whoami', '-o', 'json'])
    expect(JSON.parse(whoami.stdout).server).toBe(cluster.server)
    const revoked = await kubectl(['safe-secret', 'revoke', name, '-n', ns])
    expect(revoked.code).toBe(0)
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
    const service = uniqueName('krew-snap-svc')
    storeEntry(keyring, { service, account: 'deploy', value })
    const keychain = await run(
      path.join(cluster.binDir, 'kubectl'),
      ['safe-secret', 'keychain', 'list', service],
      {
        env: { ...env(), ...keyring.env },
        cleanEnv: true,
        cwd: work,
      },
    )
    expect(keychain.stderr).toBe('')
    expect(keychain.code).toBe(0)
    expect(keychain.stdout).toContain('deploy')
    expect(keychain.stdout).not.toContain(value)
  })

  it("completes through kubectl once the caveat's link is made (under KREW_ROOT)", async () => {
    const link = await shell(COMPLETION_LINK)
    expect(link.stderr).toBe('')
    expect(link.code).toBe(0)
    expect(existsSync(path.join(krewBin, 'kubectl_complete-safe_secret'))).toBe(true)
    const res = await kubectl(['__complete', 'safe-secret', 'cre'])
    expect(res.code).toBe(0)
    const lines = res.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^create\t/)
    expect(lines.at(-1)).toBe(':4')
  })

  it("leaves the completion link dangling on uninstall, and the caveat's command removes it", async () => {
    const completion = path.join(krewBin, 'kubectl_complete-safe_secret')
    const uninstall = await kubectl(['krew', 'uninstall', 'safe-secret'])
    expect(uninstall.code).toBe(0)
    expect(existsSync(path.join(krewBin, 'kubectl-safe_secret'))).toBe(false)
    // What the caveat warns about: the link survives krew and points at nothing.
    expect(lstatSync(completion).isSymbolicLink()).toBe(true)
    expect(existsSync(completion)).toBe(false)
    const unlink = await shell(COMPLETION_UNLINK)
    expect(unlink.code).toBe(0)
    expect(() => lstatSync(completion)).toThrow(/ENOENT/)
  })
})
