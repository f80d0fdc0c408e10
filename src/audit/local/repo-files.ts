/**
 * The files of a repository worth scanning: YAML and JSON, with .gitignore
 * rules applied as git does (each directory's .gitignore for the paths below
 * it, deeper rules winning), `.git` skipped, symlinks not followed.
 */
import type { Dirent } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import ignore, { type Ignore } from 'ignore'

const MANIFEST_EXT = /\.(ya?ml|json)$/i
/** Large generated files (lock files, bundles) are not hand-written manifests. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024

interface Rules {
  base: string
  ig: Ignore
}

function isIgnored(rules: Rules[], abs: string, isDir: boolean): boolean {
  let ignored = false
  for (const { base, ig } of rules) {
    const rel = path.relative(base, abs).split(path.sep).join('/')
    if (rel === '' || rel.startsWith('..')) continue
    const r = ig.test(isDir ? `${rel}/` : rel)
    if (r.ignored) ignored = true
    else if (r.unignored) ignored = false
  }
  return ignored
}

async function loadRules(dir: string): Promise<Rules | undefined> {
  try {
    const text = await readFile(path.join(dir, '.gitignore'), 'utf8')
    return { base: dir, ig: ignore().add(text) }
  } catch {
    return undefined
  }
}

/**
 * The .gitignore rules of root's ancestors up to the repository's top (the
 * directory holding .git): they apply when PATH is a subdirectory of a repo.
 */
async function ancestorRules(root: string): Promise<Rules[]> {
  const chain: string[] = []
  let dir = path.dirname(root)
  let top: string | undefined
  for (let d = root; ; d = path.dirname(d)) {
    if (await exists(path.join(d, '.git'))) {
      top = d
      break
    }
    if (path.dirname(d) === d) break
  }
  if (!top || top === root) return []
  for (; ; dir = path.dirname(dir)) {
    chain.unshift(dir)
    if (dir === top || path.dirname(dir) === dir) break
  }
  const rules = await Promise.all(chain.map(loadRules))
  return rules.filter((r): r is Rules => r !== undefined)
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p)
    return true
  } catch {
    return false
  }
}

export interface RepoFiles {
  /** Every file under root that git would not ignore, absolute paths. */
  files: string[]
  /** Directories that could not be read (permissions), absolute paths. */
  unreadable: string[]
}

export function isManifestFile(file: string): boolean {
  return MANIFEST_EXT.test(file)
}

/** Every file under root (or root itself, when it is a file) that .gitignore does not exclude. */
export async function repoFiles(root: string): Promise<RepoFiles> {
  const info = await stat(root)
  if (info.isFile()) return { files: [root], unreadable: [] }
  const files: string[] = []
  const unreadable: string[] = []
  const walk = async (dir: string, rules: Rules[]) => {
    const own = await loadRules(dir)
    const active = own ? [...rules, own] : rules
    let entries: Dirent[]
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      unreadable.push(dir)
      return
    }
    entries.sort((a, b) => a.name.localeCompare(b.name))
    for (const entry of entries) {
      const abs = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name === '.git' || isIgnored(active, abs, true)) continue
        await walk(abs, active)
      } else if (entry.isFile() && !isIgnored(active, abs, false)) {
        files.push(abs)
      }
    }
  }
  await walk(root, await ancestorRules(root))
  return { files, unreadable }
}
