/**
 * Expiry enforced by the cluster itself, on the real control plane: the timer
 * Job's deadline, the ttl-after-finished controller and the garbage collector
 * delete the Secret, with the CLI long gone. Each test records the delay
 * between the Secret's expires-at and its disappearance (printed as
 * `expiry-delay-ms`). The tests run one after another: one of them restarts
 * kube-controller-manager, which would skew the others' timings.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { restartControllerManager, TEAM_NAMESPACE } from '../cluster/control-plane.js'
import {
  createNamespace,
  getSecret,
  listJobs,
  type SecretObject,
  uniqueName,
  waitUntil,
} from '../helpers/cluster-api.js'
import { startStoppedAfterTimer } from '../helpers/fault.js'
import { safeSecret } from '../helpers/plugin.js'
import { marker } from '../helpers/values.js'

const cluster = inject('cluster')

const EXPIRES_AT = 'kubectl-safe-secret.io/expires-at'
const MODE = 'kubectl-safe-secret.io/expiry-mode'
/** The bound: gone within 5 s after its expiry. */
const BOUND_MS = 5000

let ns: string
beforeAll(async () => {
  ns = await createNamespace(cluster, 'expiry')
})

async function createWithTtl(name: string, ttl: string, extra: string[] = [], namespace = ns) {
  const value = marker('marker-')
  const res = await safeSecret(
    cluster,
    ['create', name, '--from-stdin=token', '--ttl', ttl, '-n', namespace, ...extra],
    {
      stdin: value,
    },
  )
  return { res, value }
}

function expiresAtOf(secret: SecretObject): number {
  const raw = secret.metadata.annotations?.[EXPIRES_AT]
  expect(raw).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
  return Date.parse(raw as string)
}

async function timersFor(namespace: string, secret: string) {
  return (await listJobs(cluster, namespace)).filter(
    (j) =>
      (j as { metadata: { annotations?: Record<string, string> } }).metadata.annotations?.[
        'kubectl-safe-secret.io/timer-for-secret'
      ] === secret,
  )
}

/**
 * Polls until the Secret is gone; asserts it never disappeared before its
 * expires-at and that the same object (uid) lived until then. Returns the delay.
 */
async function delayUntilGone(
  namespace: string,
  name: string,
  uid: string,
  expiresAt: number,
): Promise<number> {
  let goneAt = 0
  await waitUntil(
    async () => {
      const s = await getSecret(cluster, namespace, name)
      if (s) {
        expect(s.metadata.uid).toBe(uid)
        return false
      }
      goneAt = Date.now()
      return true
    },
    expiresAt - Date.now() + 30_000,
    100,
  )
  const delay = goneAt - expiresAt
  console.log(`expiry-delay-ms ${name} ${delay}`)
  // Never early: the Secret must live until its stated expiry (poll granularity aside).
  expect(delay).toBeGreaterThan(-150)
  return delay
}

describe('expiry enforced by the cluster', () => {
  it('a Secret created with --ttl 10s is gone within 5 s after its expiry, long after the CLI exited', async () => {
    const name = uniqueName('ttl')
    const started = Date.now()
    const { res, value } = await createWithTtl(name, '10s')
    const exitedAfter = Date.now() - started
    expect(res.stderr).not.toContain(value)
    expect(res.stdout).not.toContain(value)
    expect(res.code).toBe(0)

    const secret = await getSecret(cluster, ns, name)
    expect(secret).toBeDefined()
    const s = secret as SecretObject
    expect(s.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('kubectl-safe-secret')
    expect(s.metadata.annotations?.[MODE]).toBe('job')
    const owner = s.metadata.ownerReferences?.[0]
    expect(owner).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job' })
    const jobs = await listJobs(cluster, ns)
    expect(jobs.map((j) => j.metadata.uid)).toContain(owner?.uid)
    expect(owner?.name.length).toBeLessThanOrEqual(63)

    const expiresAt = expiresAtOf(s)
    // The CLI was gone before the deadline (seconds before, unless the machine is very loaded):
    // nothing of ours runs when the Secret dies.
    expect(started + exitedAfter).toBeLessThan(expiresAt)
    console.log(`cli-exited-before-expiry-ms ${expiresAt - started - exitedAfter}`)
    const delay = await delayUntilGone(ns, name, s.metadata.uid, expiresAt)
    expect(delay).toBeLessThanOrEqual(BOUND_MS)
    // The timer went too.
    await waitUntil(
      async () => !(await listJobs(cluster, ns)).some((j) => j.metadata.uid === owner?.uid),
      10_000,
    )
  })

  it('the timer Job never runs a pod and fails with DeadlineExceeded', async () => {
    const name = uniqueName('spec')
    const { res } = await createWithTtl(name, '1h')
    expect(res.code).toBe(0)
    const s = (await getSecret(cluster, ns, name)) as SecretObject
    const jobName = s.metadata.ownerReferences?.[0]?.name as string
    const { adminRequest } = await import('../cluster/control-plane.js')
    const job = JSON.parse(
      (await adminRequest(cluster, 'GET', `/apis/batch/v1/namespaces/${ns}/jobs/${jobName}`)).body,
    ) as {
      spec: {
        parallelism: number
        activeDeadlineSeconds: number
        ttlSecondsAfterFinished: number
        template: { spec: { restartPolicy: string; containers: { image: string }[] } }
      }
    }
    expect(job.spec.parallelism).toBe(0)
    expect(job.spec.ttlSecondsAfterFinished).toBe(0)
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(3590)
    expect(job.spec.activeDeadlineSeconds).toBeLessThanOrEqual(3601)
    expect(job.spec.template.spec.restartPolicy).toBe('Never')
    expect(job.spec.template.spec.containers[0]?.image).toMatch(/^registry\.k8s\.io\/pause/)
    const pods = JSON.parse((await adminRequest(cluster, 'GET', `/api/v1/namespaces/${ns}/pods`)).body) as {
      items: unknown[]
    }
    expect(pods.items).toHaveLength(0)
    // revoke: Secret and timer go now.
    const revoke = await safeSecret(cluster, ['revoke', name, '-n', ns])
    expect(revoke.code).toBe(0)
    expect(revoke.stdout).toContain(`secret "${name}" deleted`)
    expect(revoke.stdout).toContain(`job.batch "${jobName}" deleted`)
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
    await waitUntil(
      async () => !(await listJobs(cluster, ns)).some((j) => j.metadata.name === jobName),
      10_000,
    )
  })

  it('still holds when kube-controller-manager restarts in the middle of the TTL', async () => {
    const name = uniqueName('restart')
    const { res } = await createWithTtl(name, '12s')
    expect(res.code).toBe(0)
    const s = (await getSecret(cluster, ns, name)) as SecretObject
    const expiresAt = expiresAtOf(s)
    await new Promise((r) => setTimeout(r, 2000))
    // Down for 2 s, then back with empty caches, well before the deadline.
    await restartControllerManager(cluster, 2000)
    const delay = await delayUntilGone(ns, name, s.metadata.uid, expiresAt)
    expect(delay).toBeLessThanOrEqual(BOUND_MS)
  })

  it('after extend, the Secret survives its old deadline and dies at the new one', async () => {
    const name = uniqueName('extend')
    // Generous first TTL: `extend` must run before the old deadline even on a loaded machine.
    const { res } = await createWithTtl(name, '14s', ['--compat=janitor,kyverno'])
    expect(res.code).toBe(0)
    const before = (await getSecret(cluster, ns, name)) as SecretObject
    const oldExpiry = expiresAtOf(before)
    const oldTimer = before.metadata.ownerReferences?.[0]

    const ext = await safeSecret(cluster, ['extend', name, '--ttl', '24s', '-n', ns])
    expect(ext.stderr).toBe('')
    expect(ext.code).toBe(0)
    expect(ext.stdout).toMatch(new RegExp(`secret/${name} expiry moved from .* to `))

    const after = (await getSecret(cluster, ns, name)) as SecretObject
    const newExpiry = expiresAtOf(after)
    expect(newExpiry).toBeGreaterThan(oldExpiry + 5000)
    expect(after.metadata.uid).toBe(before.metadata.uid)
    expect(after.metadata.ownerReferences).toHaveLength(1)
    expect(after.metadata.ownerReferences?.[0]?.uid).not.toBe(oldTimer?.uid)
    // The compat formats moved with the deadline.
    expect(Date.parse(after.metadata.annotations?.['janitor/expires'] as string)).toBe(newExpiry)
    expect(after.metadata.labels?.['cleanup.kyverno.io/ttl']).toBe(
      new Date(newExpiry).toISOString().replace(/:|\.000/g, ''),
    )
    // The old timer is gone at once.
    expect((await listJobs(cluster, ns)).some((j) => j.metadata.uid === oldTimer?.uid)).toBe(false)

    // The Secret (same uid) lives through the old deadline, and well past it...
    await waitUntil(async () => Date.now() > Math.min(oldExpiry + 4000, newExpiry - 1000), 40_000, 100)
    expect((await getSecret(cluster, ns, name))?.metadata.uid).toBe(before.metadata.uid)
    // ...and dies at the new one: delayUntilGone also checks it was never gone before.
    const delay = await delayUntilGone(ns, name, before.metadata.uid, newExpiry)
    expect(delay).toBeLessThanOrEqual(BOUND_MS)
  })

  it('kill -9 between timer and Secret leaves no Secret, and the orphan timer deletes itself', async () => {
    const name = uniqueName('crash')
    const child = await startStoppedAfterTimer(
      cluster,
      ['create', name, '--from-stdin=token', '--ttl', '5s', '-n', ns],
      marker('marker-'),
    )
    // The timer exists, the Secret does not: this is the moment a crash can happen.
    expect((await timersFor(ns, name)).length).toBe(1)
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
    const exited = new Promise((r) => child.on('exit', (_code, signal) => r(signal)))
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')

    // No Secret ever appears, and the orphan timer removes itself at its deadline.
    const deadline = Date.now() + 5000 + BOUND_MS + 3000
    while (Date.now() < deadline) {
      expect(await getSecret(cluster, ns, name)).toBeUndefined()
      if ((await timersFor(ns, name)).length === 0) break
      await new Promise((r) => setTimeout(r, 250))
    }
    expect(await timersFor(ns, name)).toHaveLength(0)
  })

  it('when the Secret cannot be created, its timer is deleted again', async () => {
    const name = uniqueName('failsecret')
    const value = marker('marker-')
    const res = await safeSecret(cluster, ['create', name, '--from-stdin=token', '--ttl', '1h', '-n', ns], {
      stdin: value,
      env: { SAFE_SECRET_TEST_FAULT: 'fail-secret' },
    })
    expect(res.code).not.toBe(0)
    expect(res.stderr).toContain('test fault')
    expect(res.stderr).not.toContain(value)
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
    await waitUntil(async () => (await timersFor(ns, name)).length === 0, 10_000)
  })
})

describe('bad expiry input', () => {
  it.each([
    [['--ttl', '0s'], /greater than zero/],
    [['--ttl', '-5m'], /positive/],
    [['--ttl', 'soon'], /invalid --ttl: use a duration/],
    [['--ttl', '400d'], /longer than the maximum of 365d/],
    [['--expires-at', '2020-01-01T00:00:00Z'], /in the past/],
    [['--expiry-mode=annotation'], /--expiry-mode needs --ttl or --expires-at/],
  ])('create %j fails clearly and creates nothing', async (flags, message) => {
    const name = uniqueName('bad')
    const value = marker('marker-')
    const res = await safeSecret(cluster, ['create', name, '--from-stdin=token', '-n', ns, ...flags], {
      stdin: value,
    })
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(message)
    expect(res.stderr).not.toContain(value)
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
    expect(await timersFor(ns, name)).toHaveLength(0)
  })
})

describe('without the right to create Jobs', () => {
  it('as limited, --ttl fails naming the missing permission and leaves nothing behind', async () => {
    const name = uniqueName('nojobs')
    const value = marker('marker-')
    const res = await safeSecret(
      cluster,
      ['create', name, '--from-stdin=token', '--ttl', '10m', '--context=limited'],
      {
        stdin: value,
      },
    )
    expect(res.code).not.toBe(0)
    expect(res.stderr).toMatch(/create jobs\.batch in namespace "team-a"/)
    expect(res.stderr).toContain('--expiry-mode=annotation')
    expect(res.stderr).not.toContain(value)
    expect(await getSecret(cluster, TEAM_NAMESPACE, name)).toBeUndefined()
  })

  it('as limited, --expiry-mode=annotation works, and reap enforces it', async () => {
    const name = uniqueName('annot')
    const value = marker('marker-')
    const res = await safeSecret(
      cluster,
      ['create', name, '--from-stdin=token', '--ttl', '3s', '--expiry-mode=annotation', '--context=limited'],
      { stdin: value },
    )
    expect(res.stderr).not.toContain(value)
    expect(res.code).toBe(0)
    const s = (await getSecret(cluster, TEAM_NAMESPACE, name)) as SecretObject
    expect(s.metadata.annotations?.[MODE]).toBe('annotation')
    expect(s.metadata.ownerReferences ?? []).toHaveLength(0)

    // The table carries what is computed (KEYS, MODE, TIMER, OWNER); -o json carries the Secret's metadata.
    const list = await safeSecret(cluster, ['list', '--context=limited', '--no-headers'])
    expect(list.code).toBe(0)
    expect(list.stdout).not.toContain(value)
    expect(list.stdout).toMatch(
      new RegExp(`^${name}\\s+1\\s+\\S+\\s+\\S+Z\\s+\\S+\\s+annotation\\s+-\\s+<none>$`, 'm'),
    )
    const json = await safeSecret(cluster, ['list', '--context=limited', '-o', 'json'])
    const item = (
      JSON.parse(json.stdout) as {
        items: { metadata: { name: string; annotations?: Record<string, string> } }[]
      }
    ).items.find((i) => i.metadata.name === name)
    expect(item?.metadata.annotations?.[MODE]).toBe('annotation')

    // Nothing deletes it by itself...
    await waitUntil(async () => Date.now() > expiresAtOf(s) + 1500, 20_000, 100)
    expect(await getSecret(cluster, TEAM_NAMESPACE, name)).toBeDefined()
    // ...until reap runs.
    const reap = await safeSecret(cluster, ['reap', '--context=limited'])
    expect(reap.code).toBe(0)
    expect(reap.stdout).toContain(`secret "${name}" deleted from team-a namespace`)
    expect(await getSecret(cluster, TEAM_NAMESPACE, name)).toBeUndefined()
  })
})
