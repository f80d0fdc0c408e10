/**
 * Rewrites a history file without the entries that hold Secret values, losing
 * no line a shell appends meanwhile:
 * - under the shell's locks (history-lock.ts: zsh's $HISTFILE.LOCK, flock);
 * - in place, on the same inode: a shell that holds an O_APPEND descriptor
 *   open keeps writing into the file we rewrite (a rename would send its lines
 *   to an unlinked inode), and mode, owner and links are kept as they are;
 * - the file is read again under the lock and scrubbed as it is then; lines
 *   appended while it is rewritten are copied down after the kept ones, and the
 *   file is only truncated once its size stopped moving.
 * No backup and no temporary file: either would hold the very values removed.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs'
import { type HistoryScan, scanHistoryText } from './history.js'
import { withoutEntries } from './history-formats.js'
import { lockHistoryFile } from './history-lock.js'

export interface ScrubResult {
  path: string
  removed: number
}

function readRange(fd: number, from: number, to: number): Buffer {
  const buf = Buffer.alloc(to - from)
  let done = 0
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, from + done)
    if (n === 0) return buf.subarray(0, done)
    done += n
  }
  return buf
}

function writeAt(fd: number, data: Buffer, position: number): void {
  let done = 0
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, position + done)
}

/**
 * Replaces the first `readLength` bytes of the file with `content` (shorter),
 * and moves whatever was appended after them down behind it. Synchronous on
 * purpose: the only moment an appender that takes no lock (bash) could lose a
 * line is between the last size check and the truncate, and this keeps it to
 * two system calls.
 */
export function rewriteInPlace(fd: number, readLength: number, content: Buffer): void {
  writeAt(fd, content, 0)
  let copiedUpTo = readLength
  let end = content.length
  for (;;) {
    const size = fstatSync(fd).size
    if (size > copiedUpTo) {
      const appended = readRange(fd, copiedUpTo, size)
      writeAt(fd, appended, end)
      end += appended.length
      copiedUpTo = size
      continue
    }
    ftruncateSync(fd, end)
    return
  }
}

/**
 * Removes the scan's hits from its file, as it is when the lock is taken: if a
 * shell appended to it since the scan, the new content is scanned and scrubbed
 * instead, so no freshly written line is lost.
 */
export async function scrubHistory(scan: HistoryScan, lockTimeoutMs?: number): Promise<ScrubResult> {
  const target = scan.realPath
  const release = await lockHistoryFile(target, lockTimeoutMs)
  try {
    const fd = openSync(target, 'r+')
    try {
      const current = readRange(fd, 0, fstatSync(fd).size)
      const fresh = scanHistoryText(scan.file, target, current, scan.aliases)
      if (fresh.hits.length === 0) return { path: target, removed: 0 }
      const content = withoutEntries(
        fresh.text,
        fresh.hits.map((h) => h.entry),
      )
      rewriteInPlace(fd, current.length, content)
      fsyncSync(fd)
      current.fill(0)
      content.fill(0)
      return { path: target, removed: fresh.hits.length }
    } finally {
      closeSync(fd)
    }
  } finally {
    await release()
  }
}
