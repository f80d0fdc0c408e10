/**
 * The krew manifest: the committed template (no sha256 values, fresh), and the
 * manifest release:build renders for real archives against krew's documented
 * rules (the checks of sigs.k8s.io/krew pkg/index/validation, plus .exe on
 * Windows and a bin among the copied files). The e2e packaging test runs the real
 * krew's validate-krew-manifest on a really built linux archive and installs it.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { KrewManifest, KrewPlatform } from '../../scripts/krew-manifest.mjs'
import {
  API_VERSION,
  archiveName,
  COMPLETION_LINK,
  COMPLETION_UNLINK,
  PLATFORMS,
  renderManifest,
  renderTemplate,
  SHA256_PLACEHOLDER,
  TEMPLATE_FILE,
  validateManifest,
} from '../../scripts/krew-manifest.mjs'
import { repoRoot } from '../helpers/plugin.js'

const pjson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

const tmp = mkdtempSync(path.join(tmpdir(), 'krew-manifest-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** One small real archive per platform, as release:build would name them. */
const archives = PLATFORMS.map((platform) => {
  const file = path.join(tmp, archiveName(pjson.version, platform))
  writeFileSync(path.join(tmp, 'payload'), `${platform.os}-${platform.arch}`)
  execFileSync('tar', ['-czf', file, '-C', tmp, 'payload'])
  return { platform, sha256: sha256(file), file }
})
const manifestText = renderManifest({ version: pjson.version, archives })
const manifest = parse(manifestText) as KrewManifest

describe('plugins/safe-secret.template.yaml', () => {
  const templateText = readFileSync(path.join(repoRoot, TEMPLATE_FILE), 'utf8')

  it('is what the code renders (regenerate with `node scripts/krew-manifest.mjs`)', () => {
    expect(templateText).toBe(renderTemplate(pjson.version))
  })

  it('holds no sha256 value, so it cannot disagree with an archive', () => {
    const template = parse(templateText) as KrewManifest
    expect(template.spec.platforms.map((p: KrewPlatform) => p.sha256)).toEqual(
      PLATFORMS.map(() => SHA256_PLACEHOLDER),
    )
    expect(templateText).not.toMatch(/[a-f0-9]{64}/)
    // Everything else is the release manifest: only the sha256 checks fail.
    const problems = validateManifest('safe-secret.yaml', template)
    expect(problems).toHaveLength(PLATFORMS.length)
    for (const p of problems) expect(p).toMatch(/sha256 .* is not 64 hex digits/)
  })
})

describe('the manifest release:build writes', () => {
  it('passes krew validation', () => {
    expect(validateManifest('safe-secret.yaml', manifest)).toEqual([])
  })

  it('has the fields krew requires, the name of its file and the package version', () => {
    expect(manifest.apiVersion).toBe(API_VERSION)
    expect(manifest.kind).toBe('Plugin')
    expect(manifest.metadata.name).toBe('safe-secret')
    expect(manifest.spec.version).toBe(`v${pjson.version}`)
    expect(manifest.spec.shortDescription?.length).toBeGreaterThan(10)
    expect(manifest.spec.description.length).toBeGreaterThan(50)
    expect(manifest.spec.homepage).toMatch(/^https:\/\//)
  })

  it('covers linux/amd64, windows/amd64 and darwin, with one archive per platform and its sha256', () => {
    const selectors = manifest.spec.platforms.map(
      (p: KrewPlatform) => `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`,
    )
    expect(selectors).toEqual(PLATFORMS.map((p) => `${p.os}/${p.arch}`))
    for (const [i, a] of archives.entries()) {
      const entry = manifest.spec.platforms[i] as KrewPlatform
      expect(entry.uri.endsWith(`/v${pjson.version}/${archiveName(pjson.version, a.platform)}`)).toBe(true)
      expect(entry.sha256).toBe(sha256(a.file))
      expect(entry.bin).toBe(a.platform.os === 'windows' ? 'kubectl-safe_secret.exe' : 'kubectl-safe_secret')
      expect(entry.files.map((f) => f.from)).toContain('THIRD_PARTY_NOTICES')
    }
  })

  it('tells krew users where the completion link goes, with KREW_ROOT, and to remove it on uninstall', () => {
    const caveats = manifest.spec.caveats ?? ''
    expect(caveats).toContain(COMPLETION_LINK)
    expect(caveats).toContain(COMPLETION_UNLINK)
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell expansion the caveat must carry
    expect(COMPLETION_LINK).toContain('"${KREW_ROOT:-$HOME/.krew}/bin/kubectl_complete-safe_secret"')
    expect(caveats).toMatch(/krew uninstall safe-secret/)
  })
})

describe('krew validation rules', () => {
  const valid = () => parse(manifestText) as KrewManifest
  const first = (m: KrewManifest): KrewPlatform => {
    const p = m.spec.platforms[0]
    if (!p) throw new Error('no platform')
    return p
  }

  it.each([
    [
      'a wrong apiVersion',
      (m: KrewManifest) => (m.apiVersion = 'krew.googlecontainertools.github.com/v1alpha1'),
      /apiVersion/,
    ],
    ['a name other than the file name', (m: KrewManifest) => (m.metadata.name = 'safe_secret'), /file name/],
    ['no shortDescription', (m: KrewManifest) => delete m.spec.shortDescription, /shortDescription/],
    ['a version without v', (m: KrewManifest) => (m.spec.version = '0.1.0'), /semver/],
    ['a bad sha256', (m: KrewManifest) => (first(m).sha256 = 'abc'), /sha256/],
    ['no bin', (m: KrewManifest) => delete first(m).bin, /no bin/],
    ['no files', (m: KrewManifest) => (first(m).files = []), /no files/],
    [
      'an unsupported selector key',
      (m: KrewManifest) => (first(m).selector.matchLabels.distro = 'x'),
      /distro/,
    ],
    [
      'a Windows bin without .exe',
      (m: KrewManifest) => {
        const w = m.spec.platforms.find((p: KrewPlatform) => p.selector.matchLabels.os === 'windows')
        if (!w) throw new Error('no windows platform')
        w.bin = 'kubectl-safe_secret'
        w.files = [{ from: 'kubectl-safe_secret', to: '.' }]
      },
      /\.exe/,
    ],
    ['no platforms', (m: KrewManifest) => (m.spec.platforms = []), /no platforms/],
  ])('rejects %s', (_what, mutate, problem) => {
    const m = valid()
    mutate(m)
    expect(validateManifest('safe-secret.yaml', m).join('\n')).toMatch(problem)
  })

  it('rejects a file whose name is not metadata.name', () => {
    expect(validateManifest('kubectl-safe-secret.yaml', valid()).join('\n')).toMatch(/file name/)
  })
})
