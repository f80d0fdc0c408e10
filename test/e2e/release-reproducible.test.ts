/**
 * Two release builds of one tree, in two directories, compared byte for byte.
 *
 * Every archive is reproducible except linux/amd64's: its executable embeds a
 * V8 startup snapshot and code cache, which the release keeps for start-up time
 * (docs/dev-notes/performance.md) and which V8 does not write deterministically
 * (a heap holding a timer's loop time, and the checksum over it). For that
 * archive the test checks that everything else in it is identical.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { archiveName, PLATFORMS } from '../../scripts/krew-manifest.mjs'
import { repoRoot } from '../helpers/plugin.js'

const work = mkdtempSync(path.join(tmpdir(), 'safe-secret-repro-'))
const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string
}
const builds = ['a', 'b'].map((b) => path.join(work, b))

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

/** The archive's members, each with its sha256. */
function members(archive: string): Map<string, string> {
  const dir = path.join(work, `x-${path.basename(archive)}-${Math.random().toString(36).slice(2)}`)
  mkdirSync(dir)
  execFileSync('tar', ['-xzf', archive, '-C', dir])
  return new Map(readdirSync(dir).map((f) => [f, sha256(path.join(dir, f))]))
}

beforeAll(() => {
  for (const outdir of builds) {
    execFileSync(
      process.execPath,
      [path.join(repoRoot, 'scripts', 'release-build.mjs'), '--outdir', outdir],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    )
  }
}, 1_200_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

describe('release archives built twice from one tree', () => {
  const reproducible = PLATFORMS.filter((p) => !(p.os === 'linux' && p.arch === 'amd64'))

  it.each(reproducible.map((p) => [`${p.os}/${p.arch}`, p] as const))('%s: byte-identical', (_id, p) => {
    const [a, b] = builds.map((dir) => sha256(path.join(dir as string, archiveName(version, p))))
    expect(a).toBe(b)
  })

  it('linux/amd64: identical but for the executable, whose snapshot and code cache V8 writes differently', () => {
    const linux = PLATFORMS.find((p) => p.os === 'linux' && p.arch === 'amd64')
    if (!linux) throw new Error('no linux/amd64 platform')
    const [a, b] = builds.map((dir) => members(path.join(dir as string, archiveName(version, linux))))
    expect([...(a as Map<string, string>).keys()].sort()).toEqual(
      [...(b as Map<string, string>).keys()].sort(),
    )
    for (const [name, sum] of a as Map<string, string>) {
      if (name !== 'kubectl-safe_secret') expect((b as Map<string, string>).get(name), name).toBe(sum)
    }
  })

  it('the checksums files agree on every reproducible archive', () => {
    const [a, b] = builds.map((dir) =>
      readFileSync(path.join(dir as string, 'checksums.txt'), 'utf8')
        .split('\n')
        .filter((l) => l && !l.includes('_linux_amd64')),
    )
    expect(a).toEqual(b)
    expect(a?.length).toBe(PLATFORMS.length - 1)
  })
})
