/**
 * A real freedesktop Secret Service for tests: a private D-Bus session bus and
 * gnome-keyring (secrets component only) in a temporary HOME, unlocked unless
 * asked otherwise. Nothing touches the user's own session or keyring.
 *
 * The bus runs with its own configuration and an empty service directory:
 * with the system's session.conf, /usr/share/dbus-1/services would make
 * org.freedesktop.secrets activatable, and a "bus without a provider" would
 * quietly start gnome-keyring on the first call.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { waitUntil } from '../helpers/cluster-api.js'
import { tempDir } from '../helpers/values.js'

export interface KeyringSession {
  home: string
  busAddress: string
  busPid: number
  /** Environment to give a process that should see this keyring. */
  env: Record<string, string>
  unlocked: boolean
  withProvider: boolean
}

const KEYRING_PASSWORD = 'test-keyring-password'

function busConfig(home: string): string {
  const services = path.join(home, 'dbus-services')
  mkdirSync(services, { recursive: true })
  const file = path.join(home, 'dbus-session.conf')
  writeFileSync(
    file,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir=${home}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>${services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  )
  return file
}

async function startBus(home: string): Promise<{ address: string; pid: number }> {
  const child = spawn(
    'dbus-daemon',
    [`--config-file=${busConfig(home)}`, '--nofork', '--print-address=1', '--nopidfile'],
    {
      env: { ...process.env, HOME: home },
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    },
  )
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

function startDaemon(env: Record<string, string>, unlock: boolean, replace = false): void {
  const args = [
    ...(unlock ? ['--unlock'] : ['--daemonize']),
    ...(replace ? ['--replace'] : []),
    '--components=secrets',
  ]
  execFileSync('gnome-keyring-daemon', args, {
    env: { ...process.env, ...env },
    input: unlock ? KEYRING_PASSWORD : undefined,
    stdio: ['pipe', 'ignore', 'ignore'],
    timeout: 10_000,
  })
}

/**
 * Starts a session bus, and on it gnome-keyring with the secrets component.
 * `unlocked: false` gives a real locked login collection, as after a login
 * that did not unlock it: the keyring is created (unlocked) by a first daemon,
 * which is then replaced by one started without unlocking.
 * `withProvider: false` starts the bus only.
 */
export async function startKeyringSession(
  options: { unlocked?: boolean; withProvider?: boolean; entries?: KeyringEntry[] } = {},
): Promise<KeyringSession> {
  const unlocked = options.unlocked ?? true
  const withProvider = options.withProvider ?? true
  const home = tempDir('keyring')
  mkdirSync(path.join(home, '.local', 'share', 'keyrings'), { recursive: true })
  const bus = await startBus(home)
  const env: Record<string, string> = {
    HOME: home,
    DBUS_SESSION_BUS_ADDRESS: bus.address,
    XDG_RUNTIME_DIR: home,
  }
  const session = { home, busAddress: bus.address, busPid: bus.pid, env, unlocked, withProvider }
  try {
    if (withProvider) {
      startDaemon(env, true)
      // The daemon forks before it owns its bus name; under load a client can come too early.
      await waitForName(env, 'org.freedesktop.secrets')
      for (const entry of options.entries ?? []) storeEntry(session, entry)
      if (!unlocked) {
        await waitForFile(path.join(home, '.local', 'share', 'keyrings', 'login.keyring'))
        stopDaemons(session)
        startDaemon(env, false)
        await waitForName(env, 'org.freedesktop.secrets')
      }
    }
  } catch (err) {
    // Leave nothing running behind a failed start: the caller never gets a session to stop.
    stopKeyringSession(session)
    throw err
  }
  return session
}

export interface KeyringEntry {
  service: string
  account: string
  value: string | Buffer
}

/** `secret-tool store` with the value on stdin, exactly as a user would. */
export function storeEntry(session: KeyringSession, entry: KeyringEntry): void {
  execFileSync(
    'secret-tool',
    [
      'store',
      '--label',
      `${entry.service} ${entry.account}`,
      'service',
      entry.service,
      'account',
      entry.account,
    ],
    {
      env: { ...process.env, ...session.env },
      input: entry.value,
      stdio: ['pipe', 'ignore', 'pipe'],
      timeout: 10_000,
    },
  )
}

/**
 * A method call with dbus-send (package dbus, which the bus needs anyway; gdbus
 * would need libglib2.0-bin). Returns its --print-reply output.
 */
function dbusSend(
  session: { env: Record<string, string> },
  dest: string,
  objectPath: string,
  method: string,
  args: string[],
) {
  return execFileSync(
    'dbus-send',
    ['--session', '--print-reply', `--dest=${dest}`, objectPath, method, ...args],
    {
      env: { ...process.env, ...session.env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10_000,
    },
  )
}

/** Locks the login collection again, as a screen lock or `Lock` in Seahorse would. */
export function lockKeyring(session: KeyringSession): void {
  dbusSend(
    session,
    'org.freedesktop.secrets',
    '/org/freedesktop/secrets',
    'org.freedesktop.Secret.Service.Lock',
    ['array:objpath:/org/freedesktop/secrets/collection/login'],
  )
}

/** Whether the login collection is locked, read over the bus. */
export function isLoginLocked(session: KeyringSession): boolean {
  const out = dbusSend(
    session,
    'org.freedesktop.secrets',
    '/org/freedesktop/secrets/collection/login',
    'org.freedesktop.DBus.Properties.Get',
    ['string:org.freedesktop.Secret.Collection', 'string:Locked'],
  )
  return /boolean true/.test(out)
}

async function waitForFile(file: string): Promise<void> {
  await waitUntil(async () => existsSync(file), 5000, 50, `${file} did not appear`)
}

async function waitForName(env: Record<string, string>, name: string): Promise<void> {
  const hasOwner = async () =>
    /boolean true/.test(
      dbusSend(
        { env },
        'org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        [`string:${name}`],
      ),
    )
  await waitUntil(hasOwner, 5000, 50, `${name} was not on the bus`)
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

/** Stops the keyring daemons of a session and waits until they are gone. */
function stopDaemons(session: KeyringSession): void {
  const pids = processesOnBus(session.busAddress)
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 5000
  while (Date.now() < deadline && pids.some(alive)) execFileSync('sleep', ['0.05'])
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
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
