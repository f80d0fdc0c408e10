/**
 * No core dump holds a value. A `create` reads its value, then waits on an
 * API server that accepts the connection and never answers; the test sends it
 * SIGQUIT or SIGABRT with `ulimit -c unlimited`, and the core file the kernel
 * writes must not contain the value (raw or base64).
 *
 * The silent server is a TCP listener that accepts and says nothing: from the
 * client's side the same as a SIGSTOPped kube-apiserver (the kernel completes
 * the handshake, nothing answers), without stopping the control plane the
 * other test files share.
 *
 * Where the core goes: /proc/sys/kernel/core_pattern. A relative pattern
 * (`core`, the default) writes into the process's working directory, a temporary
 * directory here. Any other pattern (a pipe to systemd-coredump or apport, an
 * absolute path) is replaced for the test by `<tempdir>/core.%p` and restored:
 * that needs root, as CI runs.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { uniqueName } from '../helpers/cluster-api.js'
import { pluginEnv } from '../helpers/plugin.js'
import { marker, tempDir } from '../helpers/values.js'

const cluster = inject('cluster')
const CORE_PATTERN = '/proc/sys/kernel/core_pattern'

let silent: net.Server
let silentUrl: string
const accepted: (() => void)[] = []
let savedPattern: string | undefined
let coreDir: string

beforeAll(async () => {
  silent = net.createServer((socket) => {
    socket.on('error', () => {})
    for (const notify of accepted.splice(0)) notify()
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  silentUrl = `https://127.0.0.1:${(silent.address() as net.AddressInfo).port}`
  coreDir = tempDir('core')
  const pattern = readFileSync(CORE_PATTERN, 'utf8').trim()
  if (pattern.startsWith('|') || pattern.includes('/')) {
    savedPattern = pattern
    writeFileSync(CORE_PATTERN, path.join(coreDir, 'core.%p'))
  }
})

afterAll(() => {
  silent?.close()
  if (savedPattern !== undefined) writeFileSync(CORE_PATTERN, savedPattern)
})

/** A kubeconfig like the test cluster's, whose server never answers. */
function silentKubeconfig(): string {
  const file = path.join(tempDir('core-kubeconfig'), 'config')
  writeFileSync(file, readFileSync(cluster.kubeconfig, 'utf8').split(cluster.server).join(silentUrl), {
    mode: 0o600,
  })
  return file
}

async function dumpWhileWaiting(signal: 'SIGQUIT' | 'SIGABRT', value: string) {
  const cwd = tempDir('core-cwd')
  const connected = new Promise<void>((resolve) => accepted.push(resolve))
  // `exec` all the way: sh becomes kubectl, which execs the plugin, so the pid is the CLI's.
  const child = spawn(
    'sh',
    [
      '-c',
      'ulimit -c unlimited && exec "$0" "$@"',
      'kubectl',
      'safe-secret',
      'create',
      uniqueName('core'),
      '--from-stdin=k',
    ],
    {
      cwd,
      env: pluginEnv(cluster, { KUBECONFIG: silentKubeconfig() }),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString()
  })
  child.stdin.end(value)
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('close', (_code, sig) => resolve(sig)),
  )
  // The value is read before the request is sent: once connected, it is in memory.
  await connected
  await new Promise((r) => setTimeout(r, 500))
  child.kill(signal)
  const gotSignal = await exited
  // A relative pattern writes into the CLI's working directory (`core`, `core.PID`, ...),
  // ours into coreDir as core.PID.
  const cores = [
    ...readdirSync(cwd)
      .filter((f) => f.startsWith('core'))
      .map((f) => path.join(cwd, f)),
    ...readdirSync(coreDir)
      .filter((f) => f === `core.${child.pid}`)
      .map((f) => path.join(coreDir, f)),
  ]
  return { gotSignal, cores, stderr }
}

describe('a core dump of a create waiting on a silent server', () => {
  it.each(['SIGQUIT', 'SIGABRT'] as const)(
    '%s: the core is written and holds no value',
    async (signal) => {
      const value = marker('COREDUMP')
      const { gotSignal, cores, stderr } = await dumpWhileWaiting(signal, value)
      expect(gotSignal, stderr).toBe(signal)
      // The dump happened (so the test proves something), and it is small: no memory in it.
      expect(cores).toHaveLength(1)
      const core = readFileSync(cores[0] as string)
      expect(core.includes(value), 'the value, raw').toBe(false)
      expect(
        core.includes(Buffer.from(value).toString('base64').replace(/=+$/, '')),
        'the value, base64',
      ).toBe(false)
      expect(core.length).toBeLessThan(4 * 1024 * 1024)
    },
    60_000,
  )
})
