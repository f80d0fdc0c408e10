/**
 * `rotate` on a control plane of its own, whose kube-controller-manager also
 * runs the deployment and replicaset controllers, so that a restart shows as a
 * new ReplicaSet, as on a real cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adminRequest,
  type ControlPlaneState,
  startControlPlane,
  stopControlPlane,
} from '../cluster/control-plane.js'
import {
  createNamespace,
  getSecret,
  listJobs,
  requireSecret,
  type SecretObject,
  secretBytes,
  uniqueName,
  waitUntil,
} from '../helpers/cluster-api.js'
import { errorLines } from '../helpers/errors.js'
import { safeSecret } from '../helpers/plugin.js'
import { marker } from '../helpers/values.js'

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt'

let cluster: ControlPlaneState
let ns: string
beforeAll(async () => {
  cluster = await startControlPlane({ extraControllers: ['deployment-controller', 'replicaset-controller'] })
  ns = await createNamespace(cluster, 'rotate')
})
afterAll(async () => {
  if (cluster) await stopControlPlane(cluster)
})

async function post(path: string, body: object): Promise<{ metadata: { uid: string } }> {
  const res = await adminRequest(cluster, 'POST', path, body)
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${res.body}`)
  return JSON.parse(res.body)
}

async function get(path: string): Promise<{
  metadata: { resourceVersion: string }
  spec: { template: { metadata?: { annotations?: Record<string, string> } } }
}> {
  const res = await adminRequest(cluster, 'GET', path)
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body}`)
  return JSON.parse(res.body)
}

/** A managed Secret with two keys and an expiry, made by create. */
async function createApp(name: string, values: { user: string; password: string }) {
  const res = await safeSecret(
    cluster,
    [
      'create',
      name,
      '--stdin-format=env',
      '--ttl',
      '1h',
      '-l',
      'team=a',
      '--annotation',
      'note=kept',
      '-n',
      ns,
    ],
    { stdin: `user=${values.user}\npassword=${values.password}\n` },
  )
  expect(res.stderr).toBe('')
  expect(res.code).toBe(0)
  return requireSecret(cluster, ns, name)
}

function keptMetadata(s: SecretObject) {
  const { resourceVersion: _rv, ...rest } = s.metadata as SecretObject['metadata'] & {
    managedFields?: unknown
  }
  delete (rest as { managedFields?: unknown }).managedFields
  return { metadata: rest, type: s.type }
}

describe('rotate', () => {
  it('replaces only the keys given, and keeps the others, the expiry, the owner, the type and the labels', async () => {
    const name = uniqueName('app')
    const user = marker('user-')
    const before = await createApp(name, { user, password: marker('old-') })
    const fresh = marker('new-')
    const res = await safeSecret(cluster, ['rotate', name, '--from-stdin=password', '-n', ns], {
      stdin: fresh,
    })
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(res.stdout).toBe(`secret/${name} rotated: password\n`)
    expect(res.stdout + res.stderr).not.toContain(fresh)

    const after = await requireSecret(cluster, ns, name)
    expect(secretBytes(after, 'password')?.toString()).toBe(fresh)
    expect(secretBytes(after, 'user')?.toString()).toBe(user)
    expect(Object.keys(after.data ?? {}).sort()).toEqual(['password', 'user'])
    expect(after.metadata.resourceVersion).not.toBe(before.metadata.resourceVersion)
    expect(keptMetadata(after)).toEqual(keptMetadata(before))
    // Its timer is the same Job, still there.
    const timer = before.metadata.ownerReferences?.[0]
    expect((await listJobs(cluster, ns)).some((j) => j.metadata.uid === timer?.uid)).toBe(true)
  })

  it('refuses a key the Secret does not have, unless --add; nothing is written', async () => {
    const name = uniqueName('keys')
    const before = await createApp(name, { user: 'u', password: 'p' })
    const value = marker('tok-')
    const refused = await safeSecret(cluster, ['rotate', name, '--from-stdin=token', '-n', ns], {
      stdin: value,
    })
    expect(refused.code).toBe(1)
    expect(errorLines(refused.stderr)).toEqual([
      `error: secret "${name}" has no key "token"; nothing was written`,
    ])
    expect(refused.stderr).toContain('--add')
    expect(refused.stderr).not.toContain(value)
    expect((await requireSecret(cluster, ns, name)).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    )

    const added = await safeSecret(cluster, ['rotate', name, '--from-stdin=token', '--add', '-n', ns], {
      stdin: value,
    })
    expect(added.code).toBe(0)
    const after = await requireSecret(cluster, ns, name)
    expect(Object.keys(after.data ?? {}).sort()).toEqual(['password', 'token', 'user'])
    expect(secretBytes(after, 'token')?.toString()).toBe(value)
  })

  it('works on a Secret it did not create, and refuses one that another controller fills, unless --force', async () => {
    const plain = uniqueName('plain')
    await post(`/api/v1/namespaces/${ns}/secrets`, {
      metadata: { name: plain },
      data: { a: Buffer.from('1').toString('base64') },
    })
    const ok = await safeSecret(cluster, ['rotate', plain, '--from-stdin=a', '-n', ns], { stdin: 'two' })
    expect(ok.code).toBe(0)
    expect(secretBytes(await requireSecret(cluster, ns, plain), 'a')?.toString()).toBe('two')

    const operator = uniqueName('operator')
    const cm = await post(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: operator } })
    const controlled = uniqueName('controlled')
    await post(`/api/v1/namespaces/${ns}/secrets`, {
      metadata: {
        name: controlled,
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: operator, uid: cm.metadata.uid, controller: true },
        ],
      },
      data: { a: Buffer.from('1').toString('base64') },
    })
    // The ServiceAccount exists, or the token controller deletes its token Secret at once.
    await post(`/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'builder' } })
    const token = uniqueName('satoken')
    await post(`/api/v1/namespaces/${ns}/secrets`, {
      metadata: { name: token, annotations: { 'kubernetes.io/service-account.name': 'builder' } },
      type: 'kubernetes.io/service-account-token',
    })
    for (const [secret, why] of [
      [controlled, new RegExp(`is controlled by ConfigMap/${operator}`)],
      [token, /is a ServiceAccount token of "builder"/],
    ] as const) {
      const value = marker('v-')
      const res = await safeSecret(cluster, ['rotate', secret, '--from-stdin=a', '--add', '-n', ns], {
        stdin: value,
      })
      expect(res.code).toBe(1)
      expect(errorLines(res.stderr)).toHaveLength(1)
      expect(res.stderr).toMatch(why)
      expect(res.stderr).toContain('--force')
      expect(res.stderr).not.toContain(value)
      expect(secretBytes(await requireSecret(cluster, ns, secret), 'a')?.toString()).not.toBe(value)
    }
    const forced = await safeSecret(cluster, ['rotate', controlled, '--from-stdin=a', '--force', '-n', ns], {
      stdin: 'three',
    })
    expect(forced.code).toBe(0)
    expect(secretBytes(await requireSecret(cluster, ns, controlled), 'a')?.toString()).toBe('three')
  })

  it('refuses a Secret that does not exist, in one line', async () => {
    const name = uniqueName('missing')
    const res = await safeSecret(cluster, ['rotate', name, '--from-stdin=a', '-n', ns], { stdin: 'x' })
    expect(res.code).toBe(1)
    expect(errorLines(res.stderr)).toEqual([`error: secret "${name}" not found in namespace "${ns}"`])
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
  })
})

describe('rotate --restart', () => {
  const secret = 'db'
  const podSpec = (uses: object) => ({
    containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', ...uses }],
  })
  const template = (app: string, spec: object) => ({ metadata: { labels: { app } }, spec })
  const users = {
    'deploy-env': podSpec({
      env: [{ name: 'P', valueFrom: { secretKeyRef: { name: secret, key: 'password' } } }],
    }),
    'deploy-projected': {
      ...podSpec({ volumeMounts: [{ name: 's', mountPath: '/s' }] }),
      volumes: [{ name: 's', projected: { sources: [{ secret: { name: secret } }] } }],
    },
    'deploy-pull': { ...podSpec({}), imagePullSecrets: [{ name: secret }] },
  }
  const unrelated = podSpec({
    env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'other', key: 'k' } } }],
  })

  async function replicaSetsOf(deployment: string): Promise<string[]> {
    const res = await adminRequest(cluster, 'GET', `/apis/apps/v1/namespaces/${ns}/replicasets`)
    const items = (
      JSON.parse(res.body) as {
        items: { metadata: { name: string; ownerReferences?: { name: string }[] } }[]
      }
    ).items
    return items
      .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.name === deployment))
      .map((rs) => rs.metadata.name)
  }

  beforeAll(async () => {
    await createApp(secret, { user: 'u', password: 'p' })
    for (const [name, spec] of Object.entries(users)) {
      await post(`/apis/apps/v1/namespaces/${ns}/deployments`, {
        metadata: { name },
        spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: template(name, spec) },
      })
    }
    await post(`/apis/apps/v1/namespaces/${ns}/deployments`, {
      metadata: { name: 'deploy-unrelated' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'u' } }, template: template('u', unrelated) },
    })
    await post(`/apis/apps/v1/namespaces/${ns}/statefulsets`, {
      metadata: { name: 'sts-envfrom' },
      spec: {
        serviceName: 'x',
        selector: { matchLabels: { app: 'sts' } },
        template: template('sts', podSpec({ envFrom: [{ secretRef: { name: secret } }] })),
      },
    })
    await post(`/apis/apps/v1/namespaces/${ns}/daemonsets`, {
      metadata: { name: 'ds-volume' },
      spec: {
        selector: { matchLabels: { app: 'ds' } },
        template: template('ds', {
          ...podSpec({}),
          volumes: [{ name: 's', secret: { secretName: secret } }],
        }),
      },
    })
    // The deployment controller made each Deployment's first ReplicaSet.
    for (const name of [...Object.keys(users), 'deploy-unrelated']) {
      await waitUntil(
        async () => (await replicaSetsOf(name)).length === 1,
        30_000,
        200,
        `first ReplicaSet of ${name}`,
      )
    }
  })

  const expectedList = [
    'deployment.apps/deploy-env',
    'deployment.apps/deploy-projected',
    'deployment.apps/deploy-pull',
    'statefulset.apps/sts-envfrom',
    'daemonset.apps/ds-volume',
  ]

  it('--dry-run lists what uses the Secret and changes nothing', async () => {
    const before = await requireSecret(cluster, ns, secret)
    const res = await safeSecret(
      cluster,
      ['rotate', secret, '--from-stdin=password', '--restart', '--dry-run', '-n', ns],
      {
        stdin: marker(),
      },
    )
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(res.stdout).toBe(
      [
        `secret/${secret} rotated (dry run): password`,
        ...expectedList.map((w) => `${w} restarted (dry run)`),
        '',
      ].join('\n'),
    )
    const server = await safeSecret(
      cluster,
      ['rotate', secret, '--from-stdin=password', '--restart', '--dry-run=server', '-n', ns],
      { stdin: marker() },
    )
    expect(server.code).toBe(0)
    expect(server.stdout).toContain('deployment.apps/deploy-env restarted (server dry run)')
    expect((await requireSecret(cluster, ns, secret)).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    )
    const dep = await get(`/apis/apps/v1/namespaces/${ns}/deployments/deploy-env`)
    expect(dep.spec.template.metadata?.annotations?.[RESTARTED_AT]).toBeUndefined()
    expect(await replicaSetsOf('deploy-env')).toHaveLength(1)
  })

  it('rotates, then restarts each user like kubectl rollout restart: a new ReplicaSet appears', async () => {
    const fresh = marker('new-')
    const res = await safeSecret(
      cluster,
      ['rotate', secret, '--from-stdin=password', '--restart', '-n', ns],
      {
        stdin: fresh,
      },
    )
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(res.stdout).toBe(
      [`secret/${secret} rotated: password`, ...expectedList.map((w) => `${w} restarted`), ''].join('\n'),
    )
    expect(secretBytes(await requireSecret(cluster, ns, secret), 'password')?.toString()).toBe(fresh)
    for (const w of expectedList) {
      const [kind, name] = w.split('/') as [string, string]
      const obj = await get(`/apis/apps/v1/namespaces/${ns}/${kind.replace('.apps', '')}s/${name}`)
      expect(obj.spec.template.metadata?.annotations?.[RESTARTED_AT]).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      )
    }
    for (const name of Object.keys(users)) {
      await waitUntil(
        async () => (await replicaSetsOf(name)).length === 2,
        30_000,
        200,
        `new ReplicaSet of ${name}`,
      )
    }
    const untouched = await get(`/apis/apps/v1/namespaces/${ns}/deployments/deploy-unrelated`)
    expect(untouched.spec.template.metadata?.annotations?.[RESTARTED_AT]).toBeUndefined()
    expect(await replicaSetsOf('deploy-unrelated')).toHaveLength(1)
  })
})
