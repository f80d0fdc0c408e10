/**
 * A real freedesktop Secret Service for tests: a private D-Bus session bus and
 * gnome-keyring (secrets component only) in a temporary HOME, unlocked unless
 * asked otherwise. Nothing touches the user's own session or keyring.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface KeyringSession {
  home: string
  busAddress: string
  busPid: number
  /** Environment to give a process that should see this keyring. */
  env: Record<string, string>
  unlocked: boolean
  withProvider: boolean
}

async function startBus(home: string): Promise<{ address: string; pid: number }> {
  const child = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1', '--nopidfile'], {
    env: { ...process.env, HOME: home },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  })
  child.unref()
  const address = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(
      () => reject(new Error('dbus-daemon did not print its address within 10 s')),
      10_000,
    )
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
      const line = out.split('\n')[0]
      if (out.includes('\n') && line) {
        clearTimeout(timer)
        resolve(line.trim())
      }
    })
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(new Error(`cannot start dbus-daemon (install the dbus package): ${err.message}`))
    })
  })
  child.stdout?.destroy()
  if (!child.pid) throw new Error('dbus-daemon has no pid')
  return { address, pid: child.pid }
}

/**
 * Starts a session bus, and on it gnome-keyring with the secrets component.
 * `unlocked: false` starts the daemon without unlocking: the login collection
 * then does not exist or stays locked. `withProvider: false` starts the bus only.
 */
export async function startKeyringSession(
  options: { unlocked?: boolean; withProvider?: boolean } = {},
): Promise<KeyringSession> {
  const unlocked = options.unlocked ?? true
  const withProvider = options.withProvider ?? true
  const home = mkdtempSync(path.join(tmpdir(), 'safe-secret-keyring-'))
  mkdirSync(path.join(home, '.local', 'share', 'keyrings'), { recursive: true })
  const bus = await startBus(home)
  const env: Record<string, string> = {
    HOME: home,
    DBUS_SESSION_BUS_ADDRESS: bus.address,
    XDG_RUNTIME_DIR: home,
  }
  if (withProvider) {
    const args = unlocked ? ['--unlock', '--components=secrets'] : ['--daemonize', '--components=secrets']
    execFileSync('gnome-keyring-daemon', args, {
      env: { ...process.env, ...env },
      input: unlocked ? 'test-keyring-password' : undefined,
      stdio: ['pipe', 'ignore', 'ignore'],
      timeout: 10_000,
    })
  }
  return { home, busAddress: bus.address, busPid: bus.pid, env, unlocked, withProvider }
}

/** Processes whose environment names this session's bus: the keyring daemon and its children. */
function processesOnBus(busAddress: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1')
      if (environ.includes(`DBUS_SESSION_BUS_ADDRESS=${busAddress}\0`)) pids.push(Number(entry))
    } catch {
      // exited, or not ours to read
    }
  }
  return pids.filter((pid) => pid !== process.pid)
}

export function stopKeyringSession(session: KeyringSession): void {
  for (const pid of [...processesOnBus(session.busAddress), session.busPid]) {
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
  rmSync(session.home, { recursive: true, force: true })
}
