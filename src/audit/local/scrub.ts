/**
 * Rewrites a history file without the entries that hold Secret values. The
 * rewrite is atomic (a temporary file in the same directory, then rename), keeps
 * the mode and owner, and leaves no backup: a backup would hold the very values
 * being removed. The temporary file only ever holds the lines that are kept.
 */
import { randomBytes } from 'node:crypto'
import { open, readFile, rename, stat, unlink } from 'node:fs/promises'
import path from 'node:path'
import { type HistoryScan, scanHistoryText } from './history.js'
import { withoutEntries } from './history-formats.js'

export interface ScrubResult {
  path: string
  removed: number
}

/**
 * Removes the scan's hits from its file. The file is read again just before the
 * rewrite: if a shell appended to it since the scan, the new content is scanned
 * and scrubbed instead, so no freshly written line is lost.
 */
export async function scrubHistory(scan: HistoryScan): Promise<ScrubResult> {
  const target = scan.realPath
  const before = await stat(target)
  const current = await readFile(target)
  const fresh = scanHistoryText(scan.file, target, current)
  if (fresh.hits.length === 0) return { path: target, removed: 0 }
  const content = withoutEntries(
    fresh.text,
    fresh.hits.map((h) => h.entry),
  )

  const tmp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.scrub-${randomBytes(6).toString('hex')}`,
  )
  // 0600 until the original mode is applied: never readable by others, even for a moment.
  const handle = await open(tmp, 'wx', 0o600)
  try {
    await handle.writeFile(content)
    await handle.chmod(before.mode & 0o7777)
    if (process.getuid?.() === 0 || before.uid === process.getuid?.()) {
      try {
        await handle.chown(before.uid, before.gid)
      } catch (err) {
        // A non-root user cannot give a file away; the owner is already us then.
        if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err
      }
    }
    await handle.sync()
  } catch (err) {
    await handle.close()
    await unlink(tmp).catch(() => undefined)
    throw err
  }
  await handle.close()
  try {
    await rename(tmp, target)
  } catch (err) {
    await unlink(tmp).catch(() => undefined)
    throw err
  }
  // Make the rename itself durable.
  const dir = await open(path.dirname(target), 'r')
  try {
    await dir.sync()
  } catch {
    // Some file systems do not support fsync on directories.
  } finally {
    await dir.close()
  }
  return { path: target, removed: fresh.hits.length }
}
