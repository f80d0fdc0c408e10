/**
 * One line per failure, from every command that talks to a cluster. The list
 * of commands comes from oclif.manifest.json (every command with --kubeconfig),
 * so a new command is covered the day it is added. Each runs through the real
 * kubectl against three faults: a refused connection, a TLS failure (the real
 * apiserver, checked against the wrong CA) and a server that never answers
 * within --request-timeout. Each must print exactly one `error:` line (and at
 * most one `hint:` line), no stack trace, and exit 1.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { stringify } from 'yaml'
import { freePort } from '../cluster/control-plane.js'
import { repoRoot, safeSecret } from '../helpers/plugin.js'
import { tempDir } from '../helpers/values.js'

const cluster = inject('cluster')

interface ManifestCommand {
  id: string
  args: Record<string, { name: string; required?: boolean }>
  flags: Record<string, { name: string; required?: boolean }>
}

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, ManifestCommand>
}
const clusterCommands = Object.values(manifest.commands).filter((c) => 'kubeconfig' in c.flags)

/** What a command needs beyond its positional arguments to reach its first request. */
const NEEDS: Record<string, { flags: string[]; stdin?: string }> = {
  create: { flags: ['--from-stdin=k'], stdin: 'v' },
  extend: { flags: ['--ttl=1h'] },
  rotate: { flags: ['--from-stdin=k'], stdin: 'v' },
}

function invocation(command: ManifestCommand): { args: string[]; stdin?: string } {
  const required = Object.values(command.args)
    .filter((a) => a.required)
    .map(() => 'one-line-errors')
  const needs = NEEDS[command.id] ?? { flags: [] }
  return { args: [...command.id.split(':'), ...required, ...needs.flags], stdin: needs.stdin }
}

function kubeconfigFor(server: string, ca: string): string {
  const file = path.join(tempDir('one-line'), 'kubeconfig')
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, 'certificate-authority': ca } }],
      users: [{ name: 'u', user: { token: cluster.tokens.admin } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'default' } }],
      'current-context': 'x',
    }),
  )
  return file
}

describe('every command that talks to the cluster fails with one line', () => {
  let hanging: net.Server
  const faults: Record<string, { kubeconfig: string; extra: string[] }> = {}

  beforeAll(async () => {
    // A fault the real server cannot produce on demand: a TCP peer that accepts and never answers.
    hanging = net.createServer(() => {})
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', () => r()))
    const hangingPort = (hanging.address() as net.AddressInfo).port
    const closedPort = await freePort()
    const wrongCa = path.join(path.dirname(cluster.clientCert.certFile), 'client-ca.crt')
    faults.refused = {
      kubeconfig: kubeconfigFor(`https://127.0.0.1:${closedPort}`, cluster.caFile),
      extra: [],
    }
    faults.tls = { kubeconfig: kubeconfigFor(cluster.server, wrongCa), extra: [] }
    faults.timeout = {
      kubeconfig: kubeconfigFor(`https://127.0.0.1:${hangingPort}`, cluster.caFile),
      extra: ['--request-timeout=1s'],
    }
  })
  afterAll(() => {
    hanging?.close()
  })

  it('the manifest lists the cluster commands, and each one can be invoked here', () => {
    expect(clusterCommands.map((c) => c.id)).toEqual(
      expect.arrayContaining(['create', 'extend', 'list', 'revoke', 'reap', 'whoami']),
    )
    for (const command of clusterCommands) {
      const missing = Object.values(command.flags).filter(
        (f) => f.required && !NEEDS[command.id]?.flags.some((g) => g.startsWith(`--${f.name}`)),
      )
      expect(missing.map((f) => `${command.id} --${f.name}`)).toEqual([])
    }
  })

  for (const fault of ['refused', 'tls', 'timeout'] as const) {
    for (const command of clusterCommands) {
      it(`${command.id.replace(/:/g, ' ')}: ${fault}`, async () => {
        const { args, stdin } = invocation(command)
        const { kubeconfig, extra } = faults[fault] as { kubeconfig: string; extra: string[] }
        const res = await safeSecret(cluster, [...args, '--kubeconfig', kubeconfig, ...extra], {
          stdin,
          timeoutMs: 60_000,
        })
        const lines = res.stderr.split('\n').filter((l) => l !== '')
        expect({ code: res.code, stderr: res.stderr }).toMatchObject({ code: 1 })
        expect(lines[0], res.stderr).toMatch(/^error: /)
        expect(lines.length, res.stderr).toBeLessThanOrEqual(2)
        if (lines.length === 2) expect(lines[1], res.stderr).toMatch(/^hint: /)
        expect(res.stderr).toMatch(fault === 'tls' ? /TLS|certificate/ : /127\.0\.0\.1:\d+/)
      })
    }
  }
})
