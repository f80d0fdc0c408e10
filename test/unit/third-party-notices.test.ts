/**
 * THIRD_PARTY_NOTICES: the real bundle (both formats) against esbuild's own
 * metafile, so a package whose code is in the bundle cannot be missing from the
 * notices, and every licence is on the allow-list; the SPDX expressions the
 * allow-list accepts and refuses; a bundle with a refused licence fails.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Metafile } from '../../scripts/third-party-notices.mjs'
import {
  declaredLicense,
  licenseAllowed,
  NOTICES_FILE,
  noticesForBundle,
  parseNotices,
} from '../../scripts/third-party-notices.mjs'
import { repoRoot } from '../helpers/plugin.js'

const tmp = mkdtempSync(path.join(tmpdir(), 'notices-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** name@version of every package that contributed bytes to an output, read straight from the metafile. */
function packagesInMetafile(metafile: Metafile): Set<string> {
  const found = new Set<string>()
  for (const output of Object.values(metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (!bytesInOutput) continue
      const parts = input.split('/')
      const at = parts.lastIndexOf('node_modules')
      if (at < 0) continue
      const depth = parts[at + 1]?.startsWith('@') ? 3 : 2
      const dir = path.join(repoRoot, ...parts.slice(0, at + depth))
      const pjson = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
      found.add(`${pjson.name}@${pjson.version}`)
    }
  return found
}

describe.each(['esm', 'cjs'])('the %s bundle', (format) => {
  const outdir = path.join(tmp, format)
  const metafileFile = path.join(tmp, `${format}.meta.json`)
  execFileSync(process.execPath, [
    path.join(repoRoot, 'scripts', 'bundle.mjs'),
    '--format',
    format,
    '--outdir',
    outdir,
    '--metafile',
    metafileFile,
    '--quiet',
  ])
  const metafile = JSON.parse(readFileSync(metafileFile, 'utf8')) as Metafile
  const text = readFileSync(path.join(outdir, NOTICES_FILE), 'utf8')
  const notices = parseNotices(text)

  it('lists every package whose code is in the bundle, and only those', () => {
    const bundled = packagesInMetafile(metafile)
    expect(bundled.size).toBeGreaterThan(20)
    expect(bundled).toContain(
      `@oclif/core@${JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/@oclif/core/package.json'), 'utf8')).version}`,
    )
    expect(new Set(notices.map((n) => `${n.name}@${n.version}`))).toEqual(bundled)
    expect(text).toContain(`bundles the following ${bundled.size} third-party packages`)
  })

  it('gives each one a licence on the allow-list, and its licence text', () => {
    for (const n of notices) expect([n.name, licenseAllowed(n.license)]).toEqual([n.name, true])
    const entries = text.split(/^={78}$/m).slice(1)
    expect(entries).toHaveLength(notices.length)
    for (const entry of entries) expect(entry).toMatch(/^--- \S+ ---$/m)
    // A licence text itself, not only its name.
    expect(text).toContain('Permission is hereby granted, free of charge')
    expect(text).toContain('Apache License')
  })
})

describe('a release archive', () => {
  it('carries the notices of the bundle inside it (darwin/arm64: the bundle as a script, built here without downloads)', () => {
    const outdir = path.join(tmp, 'release')
    execFileSync(
      process.execPath,
      [
        path.join(repoRoot, 'scripts', 'release-build.mjs'),
        '--platforms',
        'darwin/arm64',
        '--outdir',
        outdir,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'))
    const archive = path.join(outdir, `kubectl-safe-secret_v${version}_darwin_arm64.tar.gz`)
    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n').sort()
    expect(listing).toEqual(['LICENSE', NOTICES_FILE, 'kubectl-safe_secret'])
    const notices = execFileSync('tar', ['-xzOf', archive, NOTICES_FILE], { encoding: 'utf8' })
    // The same packages as the CommonJS bundle the script is.
    expect(parseNotices(notices)).toEqual(
      parseNotices(readFileSync(path.join(tmp, 'cjs', NOTICES_FILE), 'utf8')),
    )
  }, 60_000)
})

describe('licence allow-list', () => {
  it.each([
    ['MIT', true],
    ['ISC', true],
    ['Apache-2.0', true],
    ['BSD-2-Clause', true],
    ['BSD-3-Clause', true],
    ['(MIT OR Apache-2.0)', true],
    ['(GPL-3.0-only OR MIT)', true],
    ['MIT AND ISC', true],
    ['(MIT AND (ISC OR GPL-2.0-only))', true],
    ['MIT AND GPL-3.0-only', false],
    ['GPL-3.0-only', false],
    ['LGPL-2.1-or-later', false],
    ['Apache-2.0 WITH LLVM-exception', false],
    ['SEE LICENSE IN LICENSE.txt', false],
    ['UNLICENSED', false],
    ['', false],
    ['(MIT', false],
    ['MIT OR', false],
  ])('%j is allowed: %s', (expression, allowed) => {
    expect(licenseAllowed(expression)).toBe(allowed)
  })

  it('reads the licence fields package.json has had over the years', () => {
    expect(declaredLicense({ license: 'MIT' })).toBe('MIT')
    expect(declaredLicense({ license: { type: 'ISC' } })).toBe('ISC')
    expect(declaredLicense({ license: ['MIT', 'Apache2'] })).toBe('(MIT OR Apache2)')
    expect(declaredLicense({ licenses: [{ type: 'MIT' }, { type: 'BSD-3-Clause' }] })).toBe(
      '(MIT OR BSD-3-Clause)',
    )
    expect(declaredLicense({})).toBe('')
  })

  it('stops a bundle holding a package whose licence is not on it', () => {
    const pkg = path.join(tmp, 'fake', 'node_modules', 'copyleft')
    mkdirSync(pkg, { recursive: true })
    writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({ name: 'copyleft', version: '1.0.0', license: 'GPL-3.0-only' }),
    )
    writeFileSync(path.join(pkg, 'LICENSE'), 'GNU GENERAL PUBLIC LICENSE')
    const metafile = {
      outputs: { 'out.js': { inputs: { 'node_modules/copyleft/index.js': { bytesInOutput: 10 } } } },
    }
    expect(() => noticesForBundle(path.join(tmp, 'fake'), metafile, 'x 1')).toThrow(
      /copyleft@1\.0\.0 \(GPL-3\.0-only\)/,
    )
  })
})
