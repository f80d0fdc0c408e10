/**
 * Secret manifests in a repository's git history: every YAML/JSON blob added or
 * changed by a commit reachable from any ref (branches, tags, stashes, notes),
 * under PATH. A blob that is the working tree's file as it is now is left to
 * the working-tree scan; every other one is a finding, with the commit that
 * brought it and its path, never a value: the values stay readable in every
 * clone until the history is rewritten, so the fix says to rotate them too.
 * git is run, read-only, with `--no-optional-locks`; no git, or no repository,
 * is said in the check's status, not an error.
 */
import { execFile, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { type Finding, unknownFinding } from '../findings.js'
import { isKustomization, scanManifestText } from './manifests.js'
import { isManifestFile, MAX_MANIFEST_BYTES } from './repo-files.js'

const run = promisify(execFile)

export const CHECK = 'secret-manifest-in-git-history'

export interface GitHistoryScan {
  findings: Finding[]
  /** What was read, or why nothing was. */
  signal: string
}

async function git(cwd: string, args: string[], maxBuffer = 256 << 20): Promise<string> {
  const { stdout } = await run('git', ['--no-optional-locks', '-c', 'core.quotePath=off', ...args], {
    cwd,
    maxBuffer,
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
  })
  return stdout
}

/** git's blob id of CONTENT, to tell a historical blob from the working tree's file. */
function blobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex')
}

interface BlobSeen {
  path: string
  /** Commits that added or changed the path to this blob, newest first. */
  commits: string[]
}

/** `git log --raw` of YAML/JSON under the pathspec: blob id → where it appeared. */
function parseRawLog(text: string): Map<string, BlobSeen> {
  const blobs = new Map<string, BlobSeen>()
  let commit = ''
  for (const line of text.split('\n')) {
    if (line.startsWith('commit ')) {
      commit = line.slice(7).trim()
      continue
    }
    // :100644 100644 OLD NEW M\tpath
    const m = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) [AM]\t(.*)$/.exec(line)
    if (!m) continue
    const [, blob, file] = m as unknown as [string, string, string]
    if (!isManifestFile(file) || /^0+$/.test(blob)) continue
    const key = `${blob} ${file}`
    const seen = blobs.get(key) ?? { path: file, commits: [] }
    seen.commits.push(commit)
    blobs.set(key, seen)
  }
  return blobs
}

/** Blob contents through one `git cat-file --batch`, skipping the ones over the size limit. */
async function readBlobs(cwd: string, ids: string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>()
  if (ids.length === 0) return out
  const child = spawn('git', ['--no-optional-locks', 'cat-file', '--batch'], {
    cwd,
    stdio: ['pipe', 'pipe', 'ignore'],
  })
  const chunks: Buffer[] = []
  child.stdout.on('data', (c: Buffer) => chunks.push(c))
  const closed = new Promise<void>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', () => resolve())
  })
  child.stdin.end(`${ids.join('\n')}\n`)
  await closed
  const all = Buffer.concat(chunks)
  let pos = 0
  while (pos < all.length) {
    const nl = all.indexOf(10, pos)
    if (nl === -1) break
    const [id, type, size] = all.subarray(pos, nl).toString('latin1').split(' ')
    pos = nl + 1
    if (type === undefined || size === undefined) continue // "<id> missing"
    const n = Number(size)
    if (type === 'blob' && n <= MAX_MANIFEST_BYTES) out.set(id as string, all.subarray(pos, pos + n))
    pos += n + 1
  }
  return out
}

export async function scanGitHistory(root: string): Promise<GitHistoryScan> {
  let top: string
  try {
    top = (await git(root, ['rev-parse', '--show-toplevel'])).trim()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      return { findings: [], signal: 'not inside a git repository: no history to read' }
    }
    return {
      findings: [
        unknownFinding(
          CHECK,
          path.resolve(root),
          'git is not installed',
          "git log --all --raw -- '*.yaml' '*.yml' '*.json', then look for kind: Secret in those blobs",
        ),
      ],
      signal: 'git is not installed',
    }
  }
  let log: string
  try {
    log = await git(root, [
      'log',
      '--all',
      '--no-renames',
      '--diff-filter=AM',
      '--format=commit %H',
      '--raw',
      '--no-abbrev',
      '--',
      '.',
    ])
  } catch {
    // A repository without any commit yet.
    return { findings: [], signal: 'git history (no commit yet)' }
  }
  const seen = parseRawLog(log)
  const commits = new Set([...seen.values()].flatMap((s) => s.commits))
  const ids = [...new Set([...seen.keys()].map((k) => k.split(' ')[0] as string))]
  const contents = await readBlobs(top, ids)
  const findings: Finding[] = []
  for (const [key, where] of seen) {
    const id = key.split(' ')[0] as string
    const content = contents.get(id)
    if (!content) continue
    const current = await readFile(path.join(top, where.path)).catch(() => undefined)
    if (current && blobId(current) === id) continue // the working-tree scan reports it
    const scan = scanManifestText(content.toString('utf8'), where.path, isKustomization(where.path))
    const oldest = where.commits[where.commits.length - 1] as string
    const more = where.commits.length > 1 ? ` and ${where.commits.length - 1} more` : ''
    const now = current ? 'changed since' : 'no longer in the working tree'
    for (const f of scan.findings) {
      if (f.check !== 'secret-manifest-in-repo') continue
      const line = f.where.slice(where.path.length + 1)
      findings.push({
        check: CHECK,
        level: 'high',
        where: `${oldest.slice(0, 12)}:${where.path}:${line}`,
        detail: `${f.detail.replace(' in the file', '')}, in git history: commit ${oldest.slice(0, 12)}${more}, path ${where.path} (${now})`,
        fix: `rotate the values (every clone keeps them), then purge them from every ref: git filter-repo --invert-paths --path '${where.path}' (or --replace-text), force-push, and have every clone re-cloned`,
      })
    }
  }
  return {
    findings,
    signal: `git history: ${commits.size} commit${commits.size === 1 ? '' : 's'} reachable from any ref changed YAML/JSON under ${path.relative(top, path.resolve(root)) || '.'}`,
  }
}
