import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runLocalAudit } from '../../../src/audit/local/run-local.js'
import { scrubHistory } from '../../../src/audit/local/scrub.js'
import { renderJson, renderTable } from '../../../src/audit/report.js'
import {
  bashHistory,
  bashTimestampedHistory,
  fishHistory,
  type HistoryFixture,
  writeFixtureRepo,
  zshExtendedHistory,
  zshPlainHistory,
} from '../../fixtures/audit/local-fixtures.js'
import { tempDir } from '../../helpers/values.js'

describe('audit local: repository manifests', () => {
  it('reports every Secret shape with file:line and key names, respects .gitignore, never prints values', async () => {
    const repo = tempDir('audit-repo')
    const { values } = writeFixtureRepo(repo)
    const { report } = await runLocalAudit({ root: '.', cwd: repo, home: tempDir('home'), env: {} })
    const where = report.findings.map((f) => f.where).sort()
    expect(where).toEqual([
      'helm/templates/secret.yaml:15',
      'k8s/list.json:12',
      'k8s/multi.yaml:15',
      'k8s/multi.yaml:23',
      'k8s/secret-list.yaml:9',
      'kustomize/kustomization.yaml:12',
      'kustomize/kustomization.yaml:15',
      'kustomize/kustomization.yaml:8',
      'nested/kept.yml:4',
    ])
    const byWhere = Object.fromEntries(report.findings.map((f) => [f.where, f.detail]))
    expect(byWhere['k8s/multi.yaml:15']).toMatch(
      /db-credentials.*username \(5 bytes\), password \(\d+ bytes\)/,
    )
    expect(byWhere['kustomize/kustomization.yaml:8']).toMatch(/app-secrets.*DB_PASSWORD.*API_KEY/)
    expect(byWhere['kustomize/kustomization.yaml:12']).toMatch(
      /from-files reads kustomize\/tls\.key \(\d+ bytes; keys: tls\.key\), which is committed/,
    )
    expect(byWhere['kustomize/kustomization.yaml:15']).toMatch(
      /reads kustomize\/app\.env .*keys: APP_USER, APP_PASSWORD/,
    )
    // The Helm template's templated values are not literals; its literal one is.
    expect(byWhere['helm/templates/secret.yaml:15']).toMatch(/literal-in-template/)
    expect(byWhere['helm/templates/secret.yaml:15']).not.toMatch(/password/)
    const out = renderTable(report) + renderJson(report)
    for (const v of values) {
      expect(out).not.toContain(v)
      expect(out).not.toContain(Buffer.from(v).toString('base64'))
    }
    expect(out).not.toMatch(/ignored-by|nested-ignored/)
    expect(report.findings.every((f) => f.level === 'high')).toBe(true)
  })

  it('scans a single file given as PATH', async () => {
    const repo = tempDir('audit-repo')
    writeFixtureRepo(repo)
    const { report } = await runLocalAudit({
      root: 'k8s/multi.yaml',
      cwd: repo,
      home: tempDir('home'),
      env: {},
    })
    expect(report.findings.map((f) => f.where)).toEqual(['k8s/multi.yaml:15', 'k8s/multi.yaml:23'])
  })
})

interface Placed {
  fixture: HistoryFixture
  file: string
  display: string
}

function placeHistories(home: string): Placed[] {
  const place = (rel: string, fixture: HistoryFixture, mode: number): Placed => {
    const file = path.join(home, rel)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, fixture.content)
    chmodSync(file, mode)
    return { fixture, file, display: `~/${rel}` }
  }
  return [
    place('.bash_history', bashHistory(), 0o600),
    place('.zsh_history', zshExtendedHistory(), 0o640),
    place('.local/share/fish/fish_history', fishHistory(), 0o600),
  ]
}

describe('audit local: shell history', () => {
  it('finds entries in bash, zsh and fish history at the right lines, without printing them', async () => {
    const home = tempDir('home')
    const placed = placeHistories(home)
    const { report } = await runLocalAudit({ root: home, cwd: '/', home, env: {}, skipHistory: false })
    const history = report.findings.filter((f) => f.check === 'secret-in-shell-history')
    const expected = placed.flatMap((p) => p.fixture.lines.map((l) => `${p.display}:${l}`)).sort()
    expect(history.map((f) => f.where).sort()).toEqual(expected)
    const out = renderTable(report) + renderJson(report)
    for (const p of placed) for (const v of p.fixture.values) expect(out).not.toContain(v)
    expect(out).toContain('--from-literal (keys: password, user)')
  })

  it.each([
    ['HISTFILE bash with timestamps', bashTimestampedHistory, 'bash'],
    ['zsh plain', zshPlainHistory, 'zsh'],
  ])('%s', async (_name, make, shell) => {
    const home = tempDir('home')
    const fixture = make()
    const file = path.join(home, shell === 'bash' ? 'custom_hist' : '.zsh_history')
    writeFileSync(file, fixture.content)
    const env = shell === 'bash' ? { HISTFILE: file } : {}
    const { report, histories } = await runLocalAudit({ root: home, cwd: '/', home, env, skipHistory: false })
    const rel = shell === 'bash' ? '~/custom_hist' : '~/.zsh_history'
    expect(report.findings.filter((f) => f.check === 'secret-in-shell-history').map((f) => f.where)).toEqual(
      fixture.lines.map((l) => `${rel}:${l}`),
    )
    const scan = histories.find((h) => h.hits.length > 0)
    if (!scan) throw new Error('no scan')
    const result = await scrubHistory(scan)
    expect(result.removed).toBe(fixture.lines.length)
    expect(readFileSync(file).equals(fixture.scrubbed)).toBe(true)
  })

  it('scrubs byte for byte, keeps mode, leaves no temporary or backup file', async () => {
    const home = tempDir('home')
    const placed = placeHistories(home)
    const modes = placed.map((p) => statSync(p.file).mode)
    const { histories } = await runLocalAudit({ root: home, cwd: '/', home, env: {}, skipHistory: false })
    for (const scan of histories) {
      const p = placed.find((x) => x.file === scan.realPath)
      const result = await scrubHistory(scan)
      expect(result.removed).toBe(p?.fixture.lines.length)
    }
    placed.forEach((p, i) => {
      const after = readFileSync(p.file)
      expect(after.toString('latin1')).toBe(p.fixture.scrubbed.toString('latin1'))
      expect(after.equals(p.fixture.scrubbed)).toBe(true)
      expect(statSync(p.file).mode).toBe(modes[i])
      for (const v of p.fixture.values) expect(after.includes(v)).toBe(false)
      expect(readdirSync(path.dirname(p.file)).filter((f) => f.includes('scrub'))).toEqual([])
    })
    // A second audit finds nothing left.
    const again = await runLocalAudit({ root: home, cwd: '/', home, env: {}, skipHistory: false })
    expect(again.report.findings.filter((f) => f.check === 'secret-in-shell-history')).toEqual([])
  })

  it('scrub re-reads the file: a line appended after the scan survives', async () => {
    const home = tempDir('home')
    const fixture = bashHistory()
    const file = path.join(home, '.bash_history')
    writeFileSync(file, fixture.content)
    const { histories } = await runLocalAudit({ root: home, cwd: '/', home, env: {}, skipHistory: false })
    writeFileSync(file, Buffer.concat([fixture.content, Buffer.from('echo appended\n')]))
    const scan = histories[0]
    if (!scan) throw new Error('no scan')
    await scrubHistory(scan)
    expect(readFileSync(file, 'latin1')).toBe(`${fixture.scrubbed.toString('latin1')}echo appended\n`)
  })
})

describe('audit local: a subdirectory of a repository', () => {
  it('applies the .gitignore rules of the directories above PATH, up to the repository top', async () => {
    const repo = tempDir('audit-repo')
    writeFixtureRepo(repo)
    mkdirSync(path.join(repo, '.git'))
    writeFileSync(path.join(repo, '.gitignore'), 'ignored/\n*.local.yaml\nsecret-list.yaml\n')
    const { report } = await runLocalAudit({
      root: 'k8s',
      cwd: repo,
      home: tempDir('home'),
      env: {},
      skipHistory: true,
    })
    expect(report.findings.map((f) => f.where).sort()).toEqual([
      'k8s/list.json:12',
      'k8s/multi.yaml:15',
      'k8s/multi.yaml:23',
    ])
  })
})

describe('audit local: an unreadable history file', () => {
  it('is unknown, not a pass', async () => {
    const home = tempDir('home')
    // A directory where the file should be: reading it fails with EISDIR.
    mkdirSync(path.join(home, '.zsh_history'))
    const { report } = await runLocalAudit({ root: home, cwd: '/', home, env: {}, skipHistory: false })
    const f = report.findings.filter((x) => x.check === 'secret-in-shell-history')
    expect(f).toEqual([
      expect.objectContaining({
        level: 'unknown',
        where: '~/.zsh_history',
        detail: expect.stringMatching(/EISDIR/),
      }),
    ])
    expect(report.checks.find((c) => c.check === 'secret-in-shell-history')?.status).toBe('unknown')
  })
})
