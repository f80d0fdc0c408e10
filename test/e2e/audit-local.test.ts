/**
 * `audit local` end to end, through the real kubectl: a fixture repository as
 * the working directory and bash, zsh and fish histories in a temporary HOME.
 * Every value is a random marker that must never reach the output; scrubs are
 * checked byte for byte.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import {
  bashHistory,
  fishHistory,
  type HistoryFixture,
  writeFixtureRepo,
  zshExtendedHistory,
} from '../fixtures/audit/local-fixtures.js'
import { type RunResult, run, safeSecret } from '../helpers/plugin.js'
import { marker, tempDir } from '../helpers/values.js'

const cluster = inject('cluster')

interface Home {
  home: string
  files: { rel: string; file: string; fixture: HistoryFixture; mode: number }[]
  values: string[]
}

function makeHome(): Home {
  const home = tempDir('audit-home')
  const specs: [string, HistoryFixture, number][] = [
    ['.bash_history', bashHistory(), 0o600],
    ['.zsh_history', zshExtendedHistory(), 0o640],
    ['.local/share/fish/fish_history', fishHistory(), 0o600],
  ]
  const files = specs.map(([rel, fixture, mode]) => {
    const file = path.join(home, rel)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, fixture.content)
    chmodSync(file, mode)
    return { rel, file, fixture, mode }
  })
  return { home, files, values: files.flatMap((f) => f.fixture.values) }
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  )
}

function expectNoValues(res: RunResult, values: string[]): void {
  for (const v of values) {
    expect(res.stdout).not.toContain(v)
    expect(res.stderr).not.toContain(v)
    expect(res.stdout).not.toContain(Buffer.from(v).toString('base64'))
  }
}

interface JsonReport {
  findings: { check: string; severity: string; where: string; detail: string; fix: string }[]
  checks: { check: string; status: string }[]
  scrubbed?: { path: string; removed: number; shell: string; reload: string }[]
}

describe('audit local', () => {
  it('reports repository manifests and history entries with file:line and key names, never values', async () => {
    const repo = tempDir('audit-repo')
    const { values: repoValues } = writeFixtureRepo(repo)
    const h = makeHome()
    const res = await safeSecret(cluster, ['audit', 'local', '-o', 'json'], {
      cwd: repo,
      env: { HOME: h.home },
    })
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expectNoValues(res, [...repoValues, ...h.values])
    const report = JSON.parse(res.stdout) as JsonReport
    const where = report.findings.map((f) => f.where)
    expect(where).toEqual(
      expect.arrayContaining([
        'k8s/multi.yaml:15',
        'k8s/multi.yaml:23',
        'k8s/list.json:12',
        'k8s/secret-list.yaml:9',
        'kustomize/kustomization.yaml:8',
        'kustomize/kustomization.yaml:12',
        'kustomize/kustomization.yaml:15',
        'helm/templates/secret.yaml:15',
        'nested/kept.yml:4',
        ...h.files.flatMap((f) => f.fixture.lines.map((l) => `~/${f.rel}:${l}`)),
      ]),
    )
    expect(report.findings).toHaveLength(9 + h.files.reduce((n, f) => n + f.fixture.lines.length, 0))
    expect(res.stdout).not.toMatch(/ignored-by|nested-ignored/)
    expect(report.findings.every((f) => f.severity === 'high')).toBe(true)
    expect(report.checks.map((c) => [c.check, c.status])).toEqual([
      ['secret-manifest-in-repo', 'fail'],
      // The fixture repository is not a git repository.
      ['secret-manifest-in-git-history', 'pass'],
      ['secret-in-shell-history', 'fail'],
    ])
    // The files are untouched without --scrub-history.
    for (const f of h.files) expect(readFileSync(f.file).equals(f.fixture.content)).toBe(true)
  })

  it('prints a table, and --fail-on sets exit code 3', async () => {
    const repo = tempDir('audit-repo')
    const { values } = writeFixtureRepo(repo)
    const home = tempDir('audit-home')
    const table = await safeSecret(cluster, ['audit', 'local', '--fail-on', 'high'], {
      cwd: repo,
      env: { HOME: home },
    })
    expect(table.code).toBe(3)
    expectNoValues(table, values)
    expect(table.stdout.split('\n')[0]).toMatch(/^CHECK\s+SEVERITY\s+WHERE\s+DETAIL\s+FIX$/)
    expect(table.stdout).toMatch(
      /secret-manifest-in-repo\s+high\s+k8s\/multi\.yaml:15\s+Secret shop\/db-credentials/,
    )
    const clean = tempDir('audit-clean')
    const ok = await safeSecret(cluster, ['audit', 'local', '--fail-on', 'low'], {
      cwd: clean,
      env: { HOME: home },
    })
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('No findings')
  })

  it('--scrub-history refuses without a terminal or --yes, and leaves the files alone', async () => {
    const h = makeHome()
    const res = await safeSecret(cluster, ['audit', 'local', '--scrub-history'], {
      cwd: tempDir('cwd'),
      env: { HOME: h.home },
    })
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/not a terminal/)
    expect(res.stderr).toMatch(/--yes/)
    for (const f of h.files) expect(readFileSync(f.file).equals(f.fixture.content)).toBe(true)
  })

  it('--scrub-history --yes removes exactly the secret entries, byte for byte, keeping mode and leaving no copy', async () => {
    const h = makeHome()
    const res = await safeSecret(cluster, ['audit', 'local', '--scrub-history', '--yes'], {
      cwd: tempDir('cwd'),
      env: { HOME: h.home },
    })
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expectNoValues(res, h.values)
    for (const f of h.files) {
      const after = readFileSync(f.file)
      expect(after.toString('latin1')).toBe(f.fixture.scrubbed.toString('latin1'))
      expect(after.equals(f.fixture.scrubbed)).toBe(true)
      expect(statSync(f.file).mode & 0o777).toBe(f.mode)
    }
    // No temporary file and no backup copy anywhere in HOME: only the three histories.
    expect(listFiles(h.home).sort()).toEqual(h.files.map((f) => f.rel).sort())
    expect(res.stdout).toContain(`Removed 3 entries from ~/.bash_history.`)
    expect(res.stdout).toContain(`Removed 3 entries from ~/.zsh_history.`)
    expect(res.stdout).toContain(`Removed 2 entries from ~/.local/share/fish/fish_history.`)
    expect(res.stdout).toContain('history -c; history -r')
    expect(res.stdout).toContain('fc -R')
    expect(res.stdout).toContain('history merge')
    // Nothing left to find.
    const again = await safeSecret(cluster, ['audit', 'local', '-o', 'json'], {
      cwd: tempDir('cwd'),
      env: { HOME: h.home },
    })
    expect((JSON.parse(again.stdout) as JsonReport).findings).toEqual([])
  })

  it('on a terminal, --scrub-history asks first: "n" keeps the files, "y" scrubs them', async () => {
    const h = makeHome()
    const env = {
      ...process.env,
      HOME: h.home,
      KUBECONFIG: cluster.kubeconfig,
      PATH: [path.resolve('bin'), cluster.binDir, path.dirname(process.execPath), '/usr/bin', '/bin'].join(
        ':',
      ),
    }
    const command = `${path.join(cluster.binDir, 'kubectl')} safe-secret audit local --scrub-history`
    // `script` gives the plugin a real terminal; the answer arrives on it.
    const no = await run('script', ['-qec', command, '/dev/null'], { stdin: 'n\n', env, cwd: tempDir('cwd') })
    expect(no.stdout).toMatch(/Remove 8 entries holding Secret values from/)
    expect(no.stderr + no.stdout).toContain('Nothing removed.')
    expect(no.code).toBe(0)
    for (const f of h.files) expect(readFileSync(f.file).equals(f.fixture.content)).toBe(true)
    const yes = await run('script', ['-qec', command, '/dev/null'], {
      stdin: 'y\n',
      env,
      cwd: tempDir('cwd'),
    })
    expect(yes.code).toBe(0)
    expect(yes.stdout).toContain('Removed 3 entries from ~/.bash_history.')
    for (const v of h.values) expect(yes.stdout).not.toContain(v)
    for (const f of h.files) expect(readFileSync(f.file).equals(f.fixture.scrubbed)).toBe(true)
  })
})

describe('audit local: git history and kubectl aliases', () => {
  it('finds a Secret manifest deleted in HEAD (commit and path), and entries typed with k or an rc alias', async () => {
    const repo = tempDir('audit-git')
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: repo,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.com',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.com',
        },
      }).trim()
    const [inGit, viaK, viaAlias] = [marker('GIT'), marker('K'), marker('ALIAS')] as [string, string, string]
    git('init', '-q', '-b', 'main')
    writeFileSync(
      path.join(repo, 'secret.yaml'),
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${inGit}\n`,
    )
    git('add', '-A')
    git('commit', '-qm', 'add')
    const commit = git('rev-parse', 'HEAD').slice(0, 12)
    git('rm', '-q', 'secret.yaml')
    git('commit', '-qm', 'remove')
    const home = tempDir('audit-home')
    writeFileSync(path.join(home, '.bashrc'), "alias kp='kubectl -n prod'\n")
    writeFileSync(
      path.join(home, '.bash_history'),
      `ls\nk create secret generic a --from-literal=pw=${viaK}\nkp create secret generic b --from-literal=token=${viaAlias}\n`,
      { mode: 0o600 },
    )
    const res = await safeSecret(cluster, ['audit', 'local', '-o', 'json'], {
      cwd: repo,
      env: { HOME: home },
    })
    expect(res.stderr).toBe('')
    expectNoValues(res, [inGit, viaK, viaAlias])
    const report = JSON.parse(res.stdout) as JsonReport
    expect(report.findings.map((f) => [f.check, f.where])).toEqual(
      expect.arrayContaining([
        ['secret-manifest-in-git-history', `${commit}:secret.yaml:6`],
        ['secret-in-shell-history', '~/.bash_history:2'],
        ['secret-in-shell-history', '~/.bash_history:3'],
      ]),
    )
    expect(report.findings).toHaveLength(3)
    const history = report.findings.find((f) => f.check === 'secret-manifest-in-git-history')
    expect(history?.detail).toMatch(
      /in git history: commit [0-9a-f]{12}, path secret\.yaml \(no longer in the working tree\)/,
    )
    expect(history?.fix).toMatch(/^rotate the values .*git filter-repo/)
  })
})
