import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runLocalAudit } from '../../../src/audit/local/run-local.js'
import { renderJson, renderTable } from '../../../src/audit/report.js'
import { marker, tempDir } from '../../helpers/values.js'

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  }).trim()
}

const secret = (name: string, value: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\nstringData:\n  password: ${value}\n`

describe('audit local: Secret manifests in git history', () => {
  it('finds them in every commit reachable from any ref, with commit and path, never the value', async () => {
    const repo = tempDir('git-history')
    const values = [marker('HIST'), marker('HIST'), marker('HIST'), marker('HIST')]
    git(repo, 'init', '-q', '-b', 'main')
    mkdirSync(path.join(repo, 'deploy'))
    writeFileSync(path.join(repo, 'deploy', 'db.yaml'), secret('db', values[0] as string))
    writeFileSync(path.join(repo, 'README.md'), 'x\n')
    git(repo, 'add', '-A')
    git(repo, 'commit', '-qm', 'add db')
    const added = git(repo, 'rev-parse', 'HEAD')
    // Deleted in HEAD: only the history has it.
    git(repo, 'rm', '-q', 'deploy/db.yaml')
    git(repo, 'commit', '-qm', 'remove db')
    // Only on another branch.
    git(repo, 'checkout', '-qb', 'side')
    writeFileSync(
      path.join(repo, 'side.json'),
      JSON.stringify({
        kind: 'Secret',
        metadata: { name: 'side' },
        data: { token: Buffer.from(values[1] as string).toString('base64') },
      }),
    )
    git(repo, 'add', '-A')
    git(repo, 'commit', '-qm', 'side')
    const side = git(repo, 'rev-parse', 'HEAD')
    git(repo, 'checkout', '-q', 'main')
    // Only under a tag on a detached commit.
    git(repo, 'checkout', '-q', '--detach')
    writeFileSync(path.join(repo, 'tagged.yaml'), secret('tagged', values[2] as string))
    git(repo, 'add', '-A')
    git(repo, 'commit', '-qm', 'tagged')
    git(repo, 'tag', 'v1')
    const tagged = git(repo, 'rev-parse', 'HEAD')
    git(repo, 'checkout', '-q', 'main')
    // In the working tree and in HEAD, unchanged: the working-tree check reports it, once.
    writeFileSync(path.join(repo, 'current.yaml'), secret('current', values[3] as string))
    git(repo, 'add', '-A')
    git(repo, 'commit', '-qm', 'current')

    const { report } = await runLocalAudit({
      root: repo,
      cwd: repo,
      home: tempDir('home'),
      env: {},
      skipHistory: true,
    })
    const inHistory = report.findings.filter((f) => f.check === 'secret-manifest-in-git-history')
    expect(inHistory.map((f) => f.where).sort()).toEqual(
      [
        `${added.slice(0, 12)}:deploy/db.yaml:6`,
        `${side.slice(0, 12)}:side.json:1`,
        `${tagged.slice(0, 12)}:tagged.yaml:6`,
      ].sort(),
    )
    const db = inHistory.find((f) => f.where.includes('deploy/db.yaml'))
    expect(db?.detail).toMatch(
      /^Secret db carries values: password \(\d+ bytes\), in git history: commit [0-9a-f]{12}, path deploy\/db.yaml \(no longer in the working tree\)$/,
    )
    expect(db?.fix).toMatch(/^rotate the values .*git filter-repo --invert-paths --path 'deploy\/db.yaml'/)
    expect(report.findings.filter((f) => f.where.startsWith('current.yaml')).map((f) => f.check)).toEqual([
      'secret-manifest-in-repo',
    ])
    expect(report.checks.find((c) => c.check === 'secret-manifest-in-git-history')).toMatchObject({
      status: 'fail',
      signal: expect.stringMatching(/^git history: 4 commits reachable from any ref/),
    })
    const out = renderTable(report) + renderJson(report)
    for (const v of values) {
      expect(out).not.toContain(v)
      expect(out).not.toContain(Buffer.from(v).toString('base64'))
    }
    rmSync(repo, { recursive: true, force: true })
  })

  it('outside a repository: nothing to read, a pass that says so', async () => {
    const dir = tempDir('no-git')
    const { report } = await runLocalAudit({ root: dir, cwd: dir, home: dir, env: {}, skipHistory: true })
    expect(report.checks.find((c) => c.check === 'secret-manifest-in-git-history')).toEqual({
      check: 'secret-manifest-in-git-history',
      status: 'pass',
      signal: 'not inside a git repository: no history to read',
    })
  })
})
