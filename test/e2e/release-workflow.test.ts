/**
 * .github/workflows/release.yml: actionlint (built from its Go module) finds
 * nothing, and the workflow publishes the image under the very reference that
 * `reaper install` uses by default, for the tag that equals the package version.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { DEFAULT_REAPER_IMAGE } from '../../src/expiry/reaper-manifests.js'
import { goTool } from '../helpers/go-tool.js'
import { repoRoot } from '../helpers/plugin.js'

const workflowFile = path.join(repoRoot, '.github', 'workflows', 'release.yml')
const text = readFileSync(workflowFile, 'utf8')
const workflow = parse(text) as {
  on: { push: { tags: string[] } }
  env: Record<string, string>
  jobs: Record<string, { steps: { run?: string; name?: string }[] }>
}
const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string
}
const runs = Object.values(workflow.jobs)
  .flatMap((j) => j.steps)
  .map((s) => s.run ?? '')
  .join('\n')

describe('release workflow', () => {
  it('passes actionlint', () => {
    const actionlint = goTool('github.com/rhysd/actionlint/cmd/actionlint', 'v1.7.12')
    const res = spawnSync(actionlint, ['-no-color', workflowFile], { encoding: 'utf8', cwd: repoRoot })
    expect(res.stdout + res.stderr).toBe('')
    expect(res.status).toBe(0)
  }, 600_000)

  it('pushes the image that `reaper install` uses by default, on the version tag', () => {
    expect(workflow.on.push.tags).toEqual(['v*'])
    // The tag must be v<package.json version>, and the image is pushed as REPOSITORY:<tag>.
    expect(runs).toMatch(/"\$version" != "\$GITHUB_REF_NAME"/)
    expect(runs).toContain('docker://$IMAGE_REPOSITORY:$GITHUB_REF_NAME')
    expect(`${workflow.env.IMAGE_REPOSITORY}:v${version}`).toBe(DEFAULT_REAPER_IMAGE)
  })

  it('builds and publishes the archives, the krew manifest, the checksums and the image', () => {
    expect(runs).toContain('npm run release:build')
    expect(runs).toContain('npm run release:image')
    for (const asset of [
      'release/*.tar.gz',
      'release/*.oci.tar',
      'release/safe-secret.yaml',
      'release/checksums.txt',
    ])
      expect(runs).toContain(asset)
  })
})
