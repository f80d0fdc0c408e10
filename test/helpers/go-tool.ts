/**
 * A Go command built from the Go module proxy by scripts/go-tool.sh, cached per
 * version outside the repository (krew, validate-krew-manifest, actionlint).
 * The test control plane's build needs Go already, so a machine that runs the
 * e2e tests can build these too.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { repoRoot } from './plugin.js'

export function goTool(pkg: string, version: string): string {
  return execFileSync('bash', [path.join(repoRoot, 'scripts', 'go-tool.sh'), pkg, version], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop() as string
}

export const KREW_VERSION = 'v0.4.3'
