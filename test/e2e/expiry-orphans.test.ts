/**
 * reap sweeps timer Jobs that time nothing (a create killed between its timer
 * and its Secret, a Secret deleted by hand), after a grace period measured on
 * the server's clock, and reports them apart from the Secrets; --dry-run lists
 * them. A timer whose create is still in flight is never touched.
 */
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  createNamespace,
  getSecret,
  listJobs,
  type SecretObject,
  uniqueName,
} from '../helpers/cluster-api.js'
import { errorLines } from '../helpers/errors.js'
import { startStoppedAfterTimer } from '../helpers/fault.js'
import { kubectl, safeSecret } from '../helpers/plugin.js'
import { serverNow } from '../helpers/server-time.js'
import { marker } from '../helpers/values.js'

const cluster = inject('cluster')
const TIMER_FOR = 'kubectl-safe-secret.io/timer-for-secret'

let ns: string
const children: ChildProcess[] = []
beforeAll(async () => {
  ns = await createNamespace(cluster, 'orphans')
})
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
})

interface JobMeta {
  metadata: { name: string; uid: string; creationTimestamp: string; annotations?: Record<string, string> }
}

async function timersFor(secret: string): Promise<JobMeta[]> {
  return ((await listJobs(cluster, ns)) as JobMeta[]).filter(
    (j) => j.metadata.annotations?.[TIMER_FOR] === secret,
  )
}

/** Starts `create --ttl 1h` that stops with its timer made and its Secret not yet written. */
async function createStoppedAfterTimer(name: string): Promise<ChildProcess> {
  const child = await startStoppedAfterTimer(
    cluster,
    ['create', name, '--from-stdin=token', '--ttl', '1h', '-n', ns],
    marker('marker-'),
  )
  children.push(child)
  return child
}

async function waitForServerAge(job: JobMeta, ageMs: number): Promise<void> {
  const created = Date.parse(job.metadata.creationTimestamp)
  while ((await serverNow(cluster)) - created < ageMs) await new Promise((r) => setTimeout(r, 250))
}

describe('reap sweeps orphan timers', () => {
  it('keeps a timer whose create is in flight, and sweeps the timers of a killed create and of a deleted Secret', async () => {
    // A healthy Secret with its timer: never swept.
    const healthy = uniqueName('healthy')
    expect(
      (
        await safeSecret(cluster, ['create', healthy, '--from-stdin=token', '--ttl', '1h', '-n', ns], {
          stdin: marker(),
        })
      ).code,
    ).toBe(0)
    const healthyTimer = (await requireOne(healthy)).metadata.uid

    // A Secret deleted by hand: its timer owns nothing any more.
    const deleted = uniqueName('deleted')
    expect(
      (
        await safeSecret(cluster, ['create', deleted, '--from-stdin=token', '--ttl', '1h', '-n', ns], {
          stdin: marker(),
        })
      ).code,
    ).toBe(0)
    expect((await kubectl(cluster, ['delete', 'secret', deleted, '-n', ns])).code).toBe(0)

    // A create stopped between timer and Secret: in flight, then killed.
    const killed = uniqueName('killed')
    const child = await createStoppedAfterTimer(killed)
    const killedTimer = await requireOne(killed)

    // Within the default grace, the in-flight create's timer is left alone (and so is everything else).
    const early = await safeSecret(cluster, ['reap', '-n', ns])
    expect(early.code).toBe(0)
    expect(early.stdout).toBe('')
    expect(early.stderr).toMatch(/swept 0 orphan timer job\(s\); 3 timer\(s\) checked/)
    expect(await timersFor(killed)).toHaveLength(1)

    const exited = new Promise((r) => child.on('exit', (_code, signal) => r(signal)))
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    expect(await getSecret(cluster, ns, killed)).toBeUndefined()
    await waitForServerAge(killedTimer, 4000)

    // --dry-run lists both orphans apart from Secrets, and deletes nothing.
    const dry = await safeSecret(cluster, ['reap', '-n', ns, '--dry-run', '--timer-grace=3s'])
    expect(dry.code).toBe(0)
    const dryLines = dry.stdout.trim().split('\n').sort()
    expect(dryLines).toHaveLength(2)
    for (const secret of [deleted, killed]) {
      expect(dry.stdout).toMatch(
        new RegExp(
          `^job\\.batch "sst-${secret}-\\w{5}" deleted from ${ns} namespace \\(dry run\\) \\(orphan timer: secret "${secret}" does not exist\\)$`,
          'm',
        ),
      )
    }
    expect(dry.stderr).toMatch(/reaped 0 expired secret\(s\) \(dry run\)/)
    expect(dry.stderr).toMatch(/swept 2 orphan timer job\(s\) \(dry run\); 3 timer\(s\) checked/)
    expect(await timersFor(killed)).toHaveLength(1)
    expect(await timersFor(deleted)).toHaveLength(1)

    const real = await safeSecret(cluster, ['reap', '-n', ns, '--timer-grace=3s'])
    expect(real.code).toBe(0)
    expect(real.stdout.trim().split('\n')).toHaveLength(2)
    expect(real.stderr).toMatch(/swept 2 orphan timer job\(s\); 3 timer\(s\) checked/)
    expect(await timersFor(killed)).toHaveLength(0)
    expect(await timersFor(deleted)).toHaveLength(0)
    // The healthy Secret and its timer are untouched.
    const s = (await getSecret(cluster, ns, healthy)) as SecretObject
    expect(s.metadata.ownerReferences?.[0]?.uid).toBe(healthyTimer)
    expect((await timersFor(healthy)).map((j) => j.metadata.uid)).toEqual([healthyTimer])

    // -l narrows reap to some Secrets: timers, which carry no user labels, are then left alone.
    const narrowed = await safeSecret(cluster, ['reap', '-n', ns, '-l', 'team=a', '--timer-grace=1s'])
    expect(narrowed.code).toBe(0)
    expect(narrowed.stderr).not.toMatch(/orphan/)
  })

  it('without the right to list Jobs, reap still reaps Secrets and says the timers were not checked', async () => {
    const res = await safeSecret(cluster, ['reap', '--context=limited'])
    expect(res.code).toBe(0)
    expect(res.stderr).toMatch(/orphan timers not checked: no permission to list jobs\.batch/)
  })

  it('refuses a malformed --timer-grace in one line', async () => {
    const res = await safeSecret(cluster, ['reap', '-n', ns, '--timer-grace=soon'])
    expect(res.code).toBe(1)
    expect(errorLines(res.stderr)).toHaveLength(1)
    expect(res.stderr).toMatch(/invalid --timer-grace: use a duration/)
    expect(res.stderr).not.toContain('soon')
  })
})

async function requireOne(secret: string): Promise<JobMeta> {
  const timers = await timersFor(secret)
  expect(timers).toHaveLength(1)
  return timers[0] as JobMeta
}
