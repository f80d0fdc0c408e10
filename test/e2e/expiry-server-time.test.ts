/**
 * Expiry counts on the API server's clock, not the workstation's. The CLI's
 * wall clock is shifted by +10 and -10 minutes with a test-only preload
 * (test/fixtures/clock-shift.mjs, through NODE_OPTIONS in the CLI's own
 * environment only); every instant is then checked against the server's own
 * clock: the Date header of its responses and the Job's creationTimestamp.
 */
import path from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createNamespace, getSecret, type SecretObject, uniqueName } from '../helpers/cluster-api.js'
import { errorLines } from '../helpers/errors.js'
import { shortDurationMs, tableRows } from '../helpers/list-table.js'
import { repoRoot, run, safeSecret } from '../helpers/plugin.js'
import { getWithServerTime, serverNow, serverTimesUntilGone } from '../helpers/server-time.js'
import { marker } from '../helpers/values.js'

const cluster = inject('cluster')

const EXPIRES_AT = 'kubectl-safe-secret.io/expires-at'
const TEN_MINUTES = 10 * 60_000
/** The bound: expires-at within 2 s of server time + TTL, deleted within 2 s of it. */
const BOUND_MS = 2000

function shiftedEnv(shiftMs: number): Record<string, string> {
  return {
    NODE_OPTIONS: `--import=${path.join(repoRoot, 'test', 'fixtures', 'clock-shift.mjs')}`,
    SAFE_SECRET_TEST_CLOCK_SHIFT_MS: String(shiftMs),
  }
}

interface Job {
  metadata: { name: string; creationTimestamp: string; annotations?: Record<string, string> }
  spec: { activeDeadlineSeconds: number }
}

async function getJob(ns: string, name: string): Promise<Job> {
  const res = await getWithServerTime(cluster, `/apis/batch/v1/namespaces/${ns}/jobs/${name}`)
  expect(res.status).toBe(200)
  return JSON.parse(res.body) as Job
}

let ns: string
beforeAll(async () => {
  ns = await createNamespace(cluster, 'servertime')
})

describe.each([
  ['fast', TEN_MINUTES],
  ['slow', -TEN_MINUTES],
])("with the CLI's clock 10 minutes %s", (_label, shift) => {
  const env = shiftedEnv(shift)

  it('the preload shifts the CLI (a client dry run has only its clock) and nothing else', async () => {
    const before = Date.now()
    const res = await safeSecret(
      cluster,
      ['create', uniqueName('dry'), '--from-stdin=token', '--ttl', '60s', '--dry-run=client', '-o', 'json'],
      { stdin: marker(), env },
    )
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    const printed = JSON.parse(res.stdout) as SecretObject
    const expiresAt = Date.parse(printed.metadata.annotations?.[EXPIRES_AT] as string)
    expect(Math.abs(expiresAt - (before + 60_000 + shift))).toBeLessThan(15_000)
    // The test process itself is not shifted.
    expect(Math.abs(Date.now() - (await serverNow(cluster)))).toBeLessThan(2000)
    // Nor is another node process that inherits the same environment.
    const other = await run(process.execPath, ['-e', 'process.stdout.write(String(Date.now()))'], {
      env,
    })
    expect(Math.abs(Number(other.stdout) - Date.now())).toBeLessThan(5000)
  })

  it('--ttl counts from the server: expires-at, --compat and the deadline, then deletion on time', async () => {
    const name = uniqueName('ttl')
    const value = marker('marker-')
    const serverBefore = await serverNow(cluster)
    const res = await safeSecret(
      cluster,
      ['create', name, '--from-stdin=token', '--ttl', '15s', '--compat=janitor,kyverno', '-n', ns],
      { stdin: value, env },
    )
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    const serverAfter = (await serverNow(cluster)) + 1000
    const s = (await getSecret(cluster, ns, name)) as SecretObject
    const expiresAt = Date.parse(s.metadata.annotations?.[EXPIRES_AT] as string)
    expect(res.stdout).toContain(`expires at ${new Date(expiresAt).toISOString().replace('.000', '')}`)

    // Within 2 s of server time + TTL, whichever server reading is taken.
    const job = await getJob(ns, s.metadata.ownerReferences?.[0]?.name as string)
    const created = Date.parse(job.metadata.creationTimestamp)
    expect(Math.abs(expiresAt - (created + 15_000))).toBeLessThanOrEqual(BOUND_MS)
    expect(expiresAt).toBeGreaterThanOrEqual(serverBefore + 15_000 - BOUND_MS)
    expect(expiresAt).toBeLessThanOrEqual(serverAfter + 15_000 + BOUND_MS)
    // The compat values are the same instant, and so is the Job's.
    expect(Date.parse(s.metadata.annotations?.['janitor/expires'] as string)).toBe(expiresAt)
    expect(s.metadata.labels?.['cleanup.kyverno.io/ttl']).toBe(
      new Date(expiresAt).toISOString().replace(/:|\.000/g, ''),
    )
    expect(Date.parse(job.metadata.annotations?.[EXPIRES_AT] as string)).toBe(expiresAt)
    // The deadline runs from the Job's start (>= its creation) to at least expires-at.
    expect(created + job.spec.activeDeadlineSeconds * 1000).toBeGreaterThanOrEqual(expiresAt)
    expect(job.spec.activeDeadlineSeconds).toBeLessThanOrEqual(17)

    // list's REMAINING, on the server's clock.
    const listedBefore = await serverNow(cluster)
    const list = await safeSecret(cluster, ['list', '-n', ns], { env })
    expect(list.code).toBe(0)
    const listedAfter = (await serverNow(cluster)) + 1000
    const row = tableRows(list.stdout).find((r) => r.NAME === name)
    const remaining = shortDurationMs(row?.REMAINING ?? '')
    // Whole seconds, truncated: between what was left when the CLI ran, give or take the bound.
    expect(remaining).toBeLessThanOrEqual(expiresAt - listedBefore + BOUND_MS)
    expect(remaining).toBeGreaterThanOrEqual(expiresAt - listedAfter - BOUND_MS)

    // Deleted within 2 s of expires-at, on the server's clock, and not before it.
    const { lastPresentMs, firstGoneMs } = await serverTimesUntilGone(
      cluster,
      `/api/v1/namespaces/${ns}/secrets/${name}`,
      60_000,
    )
    console.log(
      `server-time shift=${shift} expires-at=${expiresAt} last-present=${lastPresentMs} first-gone=${firstGoneMs}`,
    )
    // Date headers are whole seconds, truncated: present at a server time >= lastPresent.
    expect(lastPresentMs).toBeGreaterThanOrEqual(expiresAt - 1000)
    expect(firstGoneMs - expiresAt).toBeLessThanOrEqual(BOUND_MS)
  })

  it('--expires-at is checked and timed against the server', async () => {
    const now = await serverNow(cluster)
    // In the past for the server, whatever the CLI's clock says.
    const past = new Date(now - 5000).toISOString().replace('.000', '')
    const bad = uniqueName('past')
    const refused = await safeSecret(
      cluster,
      ['create', bad, '--from-stdin=token', '--expires-at', past, '-n', ns],
      { stdin: marker(), env },
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/is in the past \(the API server's time is /)
    expect(errorLines(refused.stderr)).toHaveLength(1)
    expect(await getSecret(cluster, ns, bad)).toBeUndefined()

    // 5 minutes ahead of the server: valid, and the Job's deadline is those 5 minutes.
    const at = Math.floor(now / 1000) * 1000 + 300_000
    const name = uniqueName('at')
    const res = await safeSecret(
      cluster,
      ['create', name, '--from-stdin=token', '--expires-at', new Date(at).toISOString(), '-n', ns],
      { stdin: marker(), env },
    )
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    const s = (await getSecret(cluster, ns, name)) as SecretObject
    expect(Date.parse(s.metadata.annotations?.[EXPIRES_AT] as string)).toBe(at)
    const job = await getJob(ns, s.metadata.ownerReferences?.[0]?.name as string)
    const created = Date.parse(job.metadata.creationTimestamp)
    expect(created + job.spec.activeDeadlineSeconds * 1000).toBeGreaterThanOrEqual(at)
    expect(created + job.spec.activeDeadlineSeconds * 1000).toBeLessThanOrEqual(at + BOUND_MS)
  })

  it('reap decides on the server clock: a Secret with 60 s left stays, an expired one goes', async () => {
    const live = uniqueName('live')
    const due = uniqueName('due')
    for (const [name, ttl] of [
      [live, '60s'],
      [due, '2s'],
    ] as const) {
      const res = await safeSecret(
        cluster,
        ['create', name, '--from-stdin=token', '--ttl', ttl, '--expiry-mode=annotation', '-n', ns],
        { stdin: marker(), env },
      )
      expect(res.code).toBe(0)
    }
    const dueAt = Date.parse((await getSecret(cluster, ns, due))?.metadata.annotations?.[EXPIRES_AT] ?? '')
    while ((await serverNow(cluster)) < dueAt + 1000) await new Promise((r) => setTimeout(r, 200))
    const reap = await safeSecret(cluster, ['reap', '-n', ns], { env })
    expect(reap.code).toBe(0)
    expect(reap.stdout).toContain(`secret "${due}" deleted`)
    expect(reap.stdout).not.toContain(live)
    expect(await getSecret(cluster, ns, live)).toBeDefined()
    expect(await getSecret(cluster, ns, due)).toBeUndefined()
  })
})
