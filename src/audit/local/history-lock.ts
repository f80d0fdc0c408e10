/**
 * The locks a shell may hold on its history file while it writes:
 * - zsh's `$HISTFILE.LOCK`: zsh (without HIST_FCNTL_LOCK) creates it
 *   exclusively, as a symlink to `/HOST.PID`, around every write (and
 *   INC_APPEND_HISTORY writes after each command); it deletes a lock older than
 *   10 seconds as stale, and so do we;
 * - flock(2) on the file itself, held through util-linux's flock(1) when it is
 *   installed (Node has no flock): for tools and wrappers that lock with it.
 * bash takes no lock at all: the in-place rewrite (scrub.ts) is what protects
 * its appends.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { lstat, symlink, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'

/** zsh's own rule: a lock file older than this is left over from a crash. */
const STALE_MS = 10_000

export class HistoryLockedError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function takeZshLock(file: string, deadline: number): Promise<() => Promise<void>> {
  const lock = `${file}.LOCK`
  for (;;) {
    try {
      await symlink(`/${hostname()}.${process.pid}`, lock)
      return async () => {
        await unlink(lock).catch(() => undefined)
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const held = await lstat(lock).catch(() => undefined)
    if (held && Date.now() - held.mtimeMs > STALE_MS) {
      await unlink(lock).catch(() => undefined)
      continue
    }
    if (Date.now() > deadline) throw new HistoryLockedError(`${lock} is held by a running shell`)
    await sleep(5)
  }
}

const FLOCK = ['/usr/bin/flock', '/bin/flock'].find((p) => existsSync(p))

/** Holds flock(2) on FILE through a flock(1) child until the returned function is called. */
async function takeFlock(file: string, timeoutMs: number): Promise<() => Promise<void>> {
  if (!FLOCK) return async () => undefined
  const child: ChildProcess = spawn(
    FLOCK,
    ['--exclusive', '--wait', String(Math.ceil(timeoutMs / 1000)), file, '-c', 'echo locked; exec cat'],
    { stdio: ['pipe', 'pipe', 'ignore'], env: { PATH: '/usr/bin:/bin', SHELL: '/bin/sh' } },
  )
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  const locked = await new Promise<boolean>((resolve) => {
    child.stdout?.once('data', () => resolve(true))
    child.once('close', () => resolve(false))
    child.once('error', () => resolve(false))
  })
  if (!locked) throw new HistoryLockedError(`${file} is locked (flock) by another process`)
  return async () => {
    child.stdin?.end()
    await exited
  }
}

/** Takes every lock, waiting up to timeoutMs, and returns their release. */
export async function lockHistoryFile(file: string, timeoutMs = 10_000): Promise<() => Promise<void>> {
  const releaseZsh = await takeZshLock(file, Date.now() + timeoutMs)
  try {
    const releaseFlock = await takeFlock(file, timeoutMs)
    return async () => {
      await releaseFlock()
      await releaseZsh()
    }
  } catch (err) {
    await releaseZsh()
    throw err
  }
}
