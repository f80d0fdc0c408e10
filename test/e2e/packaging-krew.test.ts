/**
 * The krew release as users get it: `release:build` for linux/amd64 (a Node
 * single executable), the generated manifest checked against krew's rules and
 * the archive's sha256, the archive installed the way krew does (extract, apply
 * the manifest's file operations, link bin into a directory on PATH), then
 * `kubectl safe-secret` through the real kubectl with no Node.js, no repository
 * and no node_modules reachable.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { parse } from 'yaml'
import type { KrewManifest, KrewPlatform } from '../../scripts/krew-manifest.mjs'
import { archiveName, PLATFORMS, validateManifest } from '../../scripts/krew-manifest.mjs'
import { createNamespace, getSecret, uniqueName } from '../helpers/cluster-api.js'
import { repoRoot, run } from '../helpers/plugin.js'
import { storeEntry } from '../setup/keyring.js'

const cluster = inject('cluster')
const keyring = inject('keyring')
const work = mkdtempSync(path.join(tmpdir(), 'safe-secret-krew-'))
const releaseDir = path.join(work, 'release')
const krewBin = path.join(work, 'krew', 'bin')
const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string
}
const linux = PLATFORMS.find((p) => p.os === 'linux' && p.arch === 'amd64')
if (!linux) throw new Error('no linux/amd64 platform')
const archive = path.join(releaseDir, archiveName(version, linux))
let manifest: KrewManifest
let platform: KrewPlatform

function env() {
  // No Node.js directory on PATH: the single executable carries its own.
  return {
    PATH: [krewBin, cluster.binDir, '/usr/bin', '/bin'].join(':'),
    HOME: mkdtempSync(path.join(work, 'home-')),
    KUBECONFIG: cluster.kubeconfig,
    LANG: 'C.UTF-8',
  }
}

function kubectl(args: string[], stdin?: string) {
  return run(path.join(cluster.binDir, 'kubectl'), args, { env: env(), cleanEnv: true, cwd: work, stdin })
}

beforeAll(() => {
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
  manifest = parse(readFileSync(path.join(releaseDir, 'safe-secret.yaml'), 'utf8'))
  const found = manifest.spec.platforms.find(
    (p: KrewPlatform) => p.selector.matchLabels.os === 'linux' && p.selector.matchLabels.arch === 'amd64',
  )
  if (!found) throw new Error('no linux/amd64 platform in the generated manifest')
  platform = found
  // Install as krew does: unpack into the store, apply `files`, link `bin` as kubectl-<name with _>.
  const store = path.join(work, 'krew', 'store', 'safe-secret', manifest.spec.version)
  const unpack = path.join(work, 'unpack')
  mkdirSync(unpack, { recursive: true })
  mkdirSync(store, { recursive: true })
  mkdirSync(krewBin, { recursive: true })
  execFileSync('tar', ['-xzf', archive, '-C', unpack])
  for (const f of platform.files)
    copyFileSync(path.join(unpack, f.from), path.join(store, f.to, path.basename(f.from)))
  execFileSync('chmod', ['+x', path.join(store, platform.bin ?? '')])
  symlinkSync(path.join(store, platform.bin ?? ''), path.join(krewBin, 'kubectl-safe_secret'))
  symlinkSync(path.join(store, platform.bin ?? ''), path.join(krewBin, 'kubectl_complete-safe_secret'))
}, 600_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

describe('krew release', () => {
  it('writes a manifest krew accepts, whose sha256 is the archive', () => {
    expect(validateManifest('safe-secret.yaml', manifest)).toEqual([])
    const sum = createHash('sha256').update(readFileSync(archive)).digest('hex')
    expect(platform.sha256).toBe(sum)
    expect(platform.uri.endsWith(`/v${version}/${path.basename(archive)}`)).toBe(true)
  })

  it('ships a self-contained executable (no script, no node_modules)', () => {
    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n').sort()
    expect(listing).toEqual(['LICENSE', 'LICENSE-node', 'kubectl-safe_secret'])
    const head = readFileSync(path.join(work, 'unpack', 'kubectl-safe_secret')).subarray(0, 4)
    expect(head.toString('latin1')).toBe('\x7fELF')
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

  it('completes through kubectl when linked as kubectl_complete-safe_secret', async () => {
    const res = await kubectl(['__complete', 'safe-secret', 'cre'])
    expect(res.code).toBe(0)
    const lines = res.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^create\t/)
    expect(lines.at(-1)).toBe(':4')
  })
})
