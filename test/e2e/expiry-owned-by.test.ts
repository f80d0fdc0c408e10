/**
 * --owned-by: a Secret bound to its consumer, deleted by the real garbage
 * collector when the consumer goes. With --ttl as well, the Secret keeps one
 * owner (its timer) and the timer is owned by the consumer, so whichever comes
 * first, the consumer's deletion or the deadline, takes the Secret along.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { adminRequest } from '../cluster/control-plane.js'
import {
  createNamespace,
  getSecret,
  listJobs,
  type SecretObject,
  uniqueName,
  waitUntil,
} from '../helpers/cluster-api.js'
import { errorLines } from '../helpers/errors.js'
import { tableRows } from '../helpers/list-table.js'
import { kubectl, safeSecret } from '../helpers/plugin.js'
import { marker } from '../helpers/values.js'

const cluster = inject('cluster')
const TIMER_FOR = 'kubectl-safe-secret.io/timer-for-secret'

const podTemplate = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
}

async function createObject(
  path: string,
  body: object,
): Promise<{ metadata: { uid: string; name: string } }> {
  const res = await adminRequest(cluster, 'POST', path, body)
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${res.body}`)
  return JSON.parse(res.body)
}

function deployment(ns: string, name: string) {
  return createObject(`/apis/apps/v1/namespaces/${ns}/deployments`, {
    metadata: { name },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: podTemplate },
  })
}

/** A Job that never runs anything: suspended. */
function userJob(ns: string, name: string) {
  return createObject(`/apis/batch/v1/namespaces/${ns}/jobs`, {
    metadata: { name },
    spec: {
      suspend: true,
      template: { ...podTemplate, spec: { ...podTemplate.spec, restartPolicy: 'Never' } },
    },
  })
}

async function timersFor(ns: string, secret: string) {
  return (
    (await listJobs(cluster, ns)) as {
      metadata: {
        name: string
        uid: string
        annotations?: Record<string, string>
        ownerReferences?: { kind: string; name: string; uid: string }[]
      }
    }[]
  ).filter((j) => j.metadata.annotations?.[TIMER_FOR] === secret)
}

async function createOwned(ns: string, name: string, owner: string, extra: string[] = []) {
  const value = marker('marker-')
  const res = await safeSecret(
    cluster,
    ['create', name, '--from-stdin=token', '--owned-by', owner, '-n', ns, ...extra],
    { stdin: value },
  )
  expect(res.stderr).not.toContain(value)
  expect(res.stdout).not.toContain(value)
  return res
}

let ns: string
beforeAll(async () => {
  ns = await createNamespace(cluster, 'owned')
})

describe.each([
  ['default (background)', [] as string[]],
  ['foreground', ['--cascade=foreground']],
])('a Deployment deleted with %s propagation', (_label, cascade) => {
  /** kubectl deletes the consumer with this propagation; the garbage collector takes the Secret along. */
  async function deleteConsumer(web: string, name: string): Promise<void> {
    const del = await kubectl(cluster, ['delete', 'deployment', web, '-n', ns, ...cascade])
    expect(del.code).toBe(0)
    await waitUntil(
      async () => (await getSecret(cluster, ns, name)) === undefined,
      30_000,
      200,
      'Secret not collected',
    )
  }

  it('takes along the Secret it owns directly', async () => {
    const web = uniqueName('web')
    const dep = await deployment(ns, web)
    const name = uniqueName('bound')
    const res = await createOwned(ns, name, `deployment/${web}`)
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    const s = (await getSecret(cluster, ns, name)) as SecretObject
    expect(s.metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: web, uid: dep.metadata.uid },
    ])
    const list = await safeSecret(cluster, ['list', '-n', ns])
    expect(list.stdout).toMatch(new RegExp(`${name}\\s.*\\s-\\s+Deployment/${web}\\n`))

    await deleteConsumer(web, name)
  })

  it('with --ttl 1h, takes along its timer and, through it, the Secret', async () => {
    const web = uniqueName('web')
    const dep = await deployment(ns, web)
    const name = uniqueName('boundttl')
    const res = await createOwned(ns, name, `deploy/${web}`, ['--ttl', '1h'])
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    // The Secret keeps one owner, its timer; the timer is owned by the consumer.
    const s = (await getSecret(cluster, ns, name)) as SecretObject
    expect(s.metadata.ownerReferences).toHaveLength(1)
    const timer = s.metadata.ownerReferences?.[0]
    expect(timer).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job' })
    const [job] = await timersFor(ns, name)
    expect(job?.metadata.uid).toBe(timer?.uid)
    expect(job?.metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: web, uid: dep.metadata.uid },
    ])
    const list = await safeSecret(cluster, ['list', '-n', ns])
    expect(tableRows(list.stdout).find((r) => r.NAME === name)).toMatchObject({
      OWNER: `Deployment/${web}`,
      TIMER: 'yes',
    })

    // extend keeps the binding: the new timer is owned by the same consumer.
    const ext = await safeSecret(cluster, ['extend', name, '--ttl', '2h', '-n', ns])
    expect(ext.code).toBe(0)
    const [newJob] = await timersFor(ns, name)
    expect(newJob?.metadata.uid).not.toBe(timer?.uid)
    expect(newJob?.metadata.ownerReferences?.[0]?.uid).toBe(dep.metadata.uid)

    await deleteConsumer(web, name)
    await waitUntil(async () => (await timersFor(ns, name)).length === 0, 30_000, 200, 'timer not collected')
  })
})

describe('--owned-by with --ttl, the deadline first', () => {
  it('the timer fires and takes the Secret; the consumer (a Job of the user) lives on', async () => {
    const consumer = uniqueName('migrate')
    const job = await userJob(ns, consumer)
    const name = uniqueName('short')
    const res = await createOwned(ns, name, `job/${consumer}`, ['--ttl', '15s'])
    expect(res.code).toBe(0)
    const s = (await getSecret(cluster, ns, name)) as SecretObject
    const expiresAt = Date.parse(s.metadata.annotations?.['kubectl-safe-secret.io/expires-at'] as string)
    const [timer] = await timersFor(ns, name)
    expect(timer?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Job',
      name: consumer,
      uid: job.metadata.uid,
    })
    // list tells the consumer (a Job) apart from the timer (a Job too).
    const list = await safeSecret(cluster, ['list', '-n', ns])
    expect(list.stdout).toMatch(new RegExp(`${name}\\s.*\\syes\\s+Job/${consumer}\\n`))

    await waitUntil(
      async () => (await getSecret(cluster, ns, name)) === undefined,
      30_000,
      200,
      'Secret not deleted',
    )
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 150)
    // The consumer is untouched.
    const still = await adminRequest(cluster, 'GET', `/apis/batch/v1/namespaces/${ns}/jobs/${consumer}`)
    expect(still.status).toBe(200)
    expect(JSON.parse(still.body).metadata.uid).toBe(job.metadata.uid)
  })

  it('any namespaced kind by GROUP/VERSION/KIND/NAME, here a core ConfigMap', async () => {
    const cm = uniqueName('cfg')
    const owner = await createObject(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: cm } })
    const name = uniqueName('bycm')
    const res = await createOwned(ns, name, `v1/ConfigMap/${cm}`)
    expect(res.code).toBe(0)
    expect((await getSecret(cluster, ns, name))?.metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', name: cm, uid: owner.metadata.uid },
    ])
    expect((await kubectl(cluster, ['delete', 'configmap', cm, '-n', ns])).code).toBe(0)
    await waitUntil(
      async () => (await getSecret(cluster, ns, name)) === undefined,
      30_000,
      200,
      'Secret not collected',
    )
  })
})

describe('bad --owned-by: one error line, nothing created', () => {
  let other: string
  beforeAll(async () => {
    other = await createNamespace(cluster, 'owned-other')
    await deployment(other, 'elsewhere')
  })

  it.each([
    [['--owned-by', 'widget/x'], /--owned-by widget\/x: unknown kind/],
    [['--owned-by', 'deployment'], /--owned-by takes KIND\/NAME/],
    [['--owned-by', 'deployment/missing'], /deployment\.apps "missing" not found in namespace "owned-/],
    // The owner exists, in another namespace: an owner must be in the Secret's.
    [['--owned-by', 'deployment/elsewhere'], /deployment\.apps "elsewhere" not found in namespace "owned-/],
    [
      ['--owned-by', 'v1/Namespace/default'],
      /Namespace is cluster-scoped; the owner must be in the Secret's namespace/,
    ],
    [['--owned-by', 'example.com/v1/Widget/x'], /the server has no API example\.com\/v1/],
    [['--owned-by', 'apps/v1/Widget/x'], /the server knows no kind Widget in apps\/v1/],
  ])('%j', async (flags, message) => {
    for (const ttl of [[], ['--ttl', '1h']]) {
      const name = uniqueName('bad')
      const value = marker('marker-')
      const res = await safeSecret(
        cluster,
        ['create', name, '--from-stdin=token', '-n', ns, ...flags, ...ttl],
        {
          stdin: value,
        },
      )
      expect(res.code).toBe(1)
      expect(res.stderr).toMatch(message)
      expect(errorLines(res.stderr)).toHaveLength(1)
      expect(res.stderr).not.toContain(value)
      expect(await getSecret(cluster, ns, name)).toBeUndefined()
      expect(await timersFor(ns, name)).toHaveLength(0)
    }
  })
})
