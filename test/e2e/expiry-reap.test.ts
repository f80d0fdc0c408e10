/**
 * list, reap and the in-cluster reaper on the real control plane: metadata-only
 * reads, exactly the expired managed Secrets reaped, and a reaper identity that
 * can list and delete Secrets and nothing else.
 */
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { adminRequest } from '../cluster/control-plane.js'
import { createNamespace, getSecret, listSecrets, pool, uniqueName } from '../helpers/cluster-api.js'
import { kubectl, safeSecret } from '../helpers/plugin.js'

const cluster = inject('cluster')

const MANAGED = { 'app.kubernetes.io/managed-by': 'kubectl-safe-secret' }
const EXPIRES_AT = 'kubectl-safe-secret.io/expires-at'
const MODE = 'kubectl-safe-secret.io/expiry-mode'

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

interface SeedSecret {
  name: string
  labels: Record<string, string>
  annotations: Record<string, string>
  data?: Record<string, string>
}

async function seed(ns: string, secrets: SeedSecret[], concurrency = 25): Promise<void> {
  await pool(secrets, concurrency, async (s) => {
    const res = await adminRequest(cluster, 'POST', `/api/v1/namespaces/${ns}/secrets`, {
      metadata: { name: s.name, labels: s.labels, annotations: s.annotations },
      data: s.data ?? { k: Buffer.from(randomBytes(8)).toString('base64') },
    })
    if (res.status !== 201) throw new Error(`seed ${ns}/${s.name}: ${res.status} ${res.body}`)
  })
}

describe('reap', () => {
  const run = randomBytes(4).toString('hex')
  const runLabel = { 'e2e-run': run }
  const namespaces: string[] = []
  const expected = new Map<string, Set<string>>() // namespace -> names that must survive
  let expiredCount = 0

  beforeAll(async () => {
    const past = rfc3339(Date.now() - 60_000)
    const future = rfc3339(Date.now() + 3_600_000)
    for (let n = 0; n < 5; n++) {
      const ns = await createNamespace(cluster, 'reap')
      namespaces.push(ns)
      const survivors = new Set<string>()
      const secrets: SeedSecret[] = []
      for (let i = 0; i < 100; i++) {
        const name = `s-${i}`
        const kind = i % 10
        if (kind < 3) {
          // Expired, annotation mode.
          secrets.push({
            name,
            labels: { ...MANAGED, ...runLabel },
            annotations: { [EXPIRES_AT]: past, [MODE]: 'annotation' },
          })
        } else if (kind === 3) {
          // Expired, job mode whose timer was lost.
          secrets.push({
            name,
            labels: { ...MANAGED, ...runLabel },
            annotations: { [EXPIRES_AT]: past, [MODE]: 'job' },
          })
        } else if (kind < 8) {
          secrets.push({
            name,
            labels: { ...MANAGED, ...runLabel },
            annotations: { [EXPIRES_AT]: future, [MODE]: 'annotation' },
          })
          survivors.add(name)
        } else if (kind === 8) {
          // Not ours, even with our annotation: never touched.
          secrets.push({ name, labels: { ...runLabel }, annotations: { [EXPIRES_AT]: past } })
          survivors.add(name)
        } else {
          // Managed without an expiry.
          secrets.push({ name, labels: { ...MANAGED, ...runLabel }, annotations: {} })
          survivors.add(name)
        }
      }
      expiredCount += 100 - survivors.size
      expected.set(ns, survivors)
      await seed(ns, secrets)
    }
  }, 180_000)

  async function remaining(): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>()
    for (const ns of namespaces) {
      out.set(ns, new Set((await listSecrets(cluster, ns, `e2e-run=${run}`)).map((s) => s.metadata.name)))
    }
    return out
  }

  it('--dry-run and --dry-run=server report the expired managed Secrets and delete none', async () => {
    expect(expiredCount).toBe(200)
    for (const dry of ['--dry-run', '--dry-run=server']) {
      const res = await safeSecret(cluster, ['reap', '-A', '-l', `e2e-run=${run}`, dry])
      expect(res.code).toBe(0)
      const lines = res.stdout.trim().split('\n')
      expect(lines).toHaveLength(200)
      expect(
        lines.every((l) =>
          /^secret "s-\d+" deleted from reap-[0-9a-f]+ namespace \((server )?dry run\)$/.test(l),
        ),
      ).toBe(true)
      for (const ns of namespaces) expect((await remaining()).get(ns)?.size).toBe(100)
    }
  })

  it('on 500 mixed Secrets over 5 namespaces, deletes exactly the expired managed ones', async () => {
    const started = Date.now()
    // A small page size forces many limit/continue round trips.
    const res = await safeSecret(cluster, ['reap', '-A', '-l', `e2e-run=${run}`, '--chunk-size', '37'])
    const ms = Date.now() - started
    expect(res.code).toBe(0)
    expect(res.stdout.trim().split('\n')).toHaveLength(200)
    expect(res.stderr).toMatch(/reaped 200 expired secret\(s\); 450 managed scanned/)
    console.log(`reap-500: 200 deleted in ${ms} ms (whole CLI run)`)
    const left = await remaining()
    for (const ns of namespaces)
      expect([...(left.get(ns) ?? [])].sort()).toEqual([...(expected.get(ns) ?? [])].sort())
  })

  it('is idempotent: a second run deletes nothing and succeeds', async () => {
    const res = await safeSecret(cluster, ['reap', '-A', '-l', `e2e-run=${run}`])
    expect(res.code).toBe(0)
    expect(res.stdout).toBe('')
    expect(res.stderr).toMatch(/reaped 0 expired secret\(s\)/)
  })

  it('-n limits the reap to one namespace', async () => {
    const [a, b] = [await createNamespace(cluster, 'reapns'), await createNamespace(cluster, 'reapns')]
    const past = rfc3339(Date.now() - 1000)
    for (const ns of [a, b]) {
      await seed(ns, [{ name: 'old', labels: { ...MANAGED }, annotations: { [EXPIRES_AT]: past } }])
    }
    const res = await safeSecret(cluster, ['reap', '-n', a])
    expect(res.code).toBe(0)
    expect(await getSecret(cluster, a, 'old')).toBeUndefined()
    expect(await getSecret(cluster, b, 'old')).toBeDefined()
  })
})

describe('list', () => {
  it('shows keys, expiry, mode and timer from metadata only, never a value', async () => {
    const ns = await createNamespace(cluster, 'list')
    const value = `marker-${randomBytes(12).toString('hex')}`
    const created = await safeSecret(
      cluster,
      ['create', 'timed', '--from-stdin=token', '--ttl', '1h', '-n', ns],
      {
        stdin: value,
      },
    )
    expect(created.code).toBe(0)
    const future = rfc3339(Date.now() + 7_200_000)
    await seed(ns, [
      {
        name: 'three-keys',
        labels: { ...MANAGED },
        annotations: { [EXPIRES_AT]: future, [MODE]: 'annotation' },
        data: { a: Buffer.from(value).toString('base64'), b: 'YQ==', c: 'Yw==' },
      },
      { name: 'unmanaged', labels: {}, annotations: {}, data: { a: Buffer.from(value).toString('base64') } },
    ])

    const table = await safeSecret(cluster, ['list', '-n', ns])
    expect(table.code).toBe(0)
    const lines = table.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^NAME\s+KEYS\s+AGE\s+EXPIRES-AT\s+REMAINING\s+MODE\s+TIMER\s+OWNER$/)
    expect(lines).toHaveLength(3)
    expect(lines[1]).toMatch(
      /^three-keys\s+3\s+\S+\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+(119m|120m)\s+annotation\s+-\s+<none>$/,
    )
    expect(lines[2]).toMatch(/^timed\s+1\s+\S+\s+\S+Z\s+\S+\s+job\s+yes\s+<none>$/)

    const all = await safeSecret(cluster, ['list', '-A'])
    expect(all.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+KEYS/)
    expect(all.stdout).toMatch(new RegExp(`${ns}\\s+timed\\s+1`))

    const names = await safeSecret(cluster, ['list', '-n', ns, '-o', 'name'])
    expect(names.stdout).toBe('secret/three-keys\nsecret/timed\n')

    const wide = await safeSecret(cluster, ['list', '-n', ns, '-o', 'wide'])
    expect(wide.stdout.split('\n')[0]).toMatch(/TIMER\s+OWNER\s+TIMER-JOB\s+COMPAT\s+TYPE$/)
    expect(wide.stdout).toMatch(/timed\s+.*\s+yes\s+<none>\s+sst-timed-\w{5}\s+<none>\s+Opaque/)

    const json = await safeSecret(cluster, ['list', '-n', ns, '-o', 'json'])
    const parsed = JSON.parse(json.stdout) as {
      apiVersion: string
      kind: string
      items: { apiVersion: string; kind: string; metadata: { name: string }; type: string; data?: unknown }[]
    }
    expect([parsed.apiVersion, parsed.kind]).toEqual(['v1', 'List'])
    expect(parsed.items.map((i) => [i.apiVersion, i.kind, i.metadata.name, i.type, i.data])).toEqual([
      ['v1', 'Secret', 'three-keys', 'Opaque', undefined],
      ['v1', 'Secret', 'timed', 'Opaque', undefined],
    ])
    const yaml = await safeSecret(cluster, ['list', '-n', ns, '-o', 'yaml'])
    expect(yaml.stdout).toMatch(/name: timed/)

    for (const out of [table, all, names, wide, json, yaml]) {
      expect(out.stdout).not.toContain(value)
      expect(out.stderr).not.toContain(value)
      expect(out.stdout).not.toContain(Buffer.from(value).toString('base64'))
    }
  })
})

describe('reaper install', () => {
  it('installs a least-privilege reaper whose identity can reap but not create Secrets or read ConfigMaps', async () => {
    const home = await createNamespace(cluster, 'reaper')
    const target = await createNamespace(cluster, 'reaped')
    const sa = `system:serviceaccount:${home}:safe-secret-reaper`

    // -o yaml prints the manifests and installs nothing.
    const printed = await safeSecret(cluster, ['reaper', 'install', '-n', home, '-o', 'yaml'])
    expect(printed.code).toBe(0)
    const docs = parseAllDocuments(printed.stdout).map((d) => d.toJS())
    expect(docs.map((d) => d.kind)).toEqual([
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'CronJob',
    ])
    expect(docs[1].rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['list', 'delete'] }])
    const pod = docs[3].spec.jobTemplate.spec.template.spec
    expect(pod.serviceAccountName).toBe('safe-secret-reaper')
    expect(pod.containers[0].image).toBe('ghcr.io/kubectl-safe-secret/kubectl-safe-secret:v0.1.0')
    expect(pod.containers[0].args).toEqual(['reap', '--all-namespaces'])

    // --dry-run=server validates everything and persists nothing.
    const dry = await safeSecret(cluster, ['reaper', 'install', '-n', home, '--dry-run=server'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/cronjob\.batch\/safe-secret-reaper serverside-applied \(server dry run\)/)
    expect(
      (await adminRequest(cluster, 'GET', `/api/v1/namespaces/${home}/serviceaccounts/safe-secret-reaper`))
        .status,
    ).toBe(404)

    for (let i = 0; i < 2; i++) {
      // Twice: a re-install converges on the same objects.
      const res = await safeSecret(cluster, [
        'reaper',
        'install',
        '-n',
        home,
        '--image',
        'example.com/reaper:1',
      ])
      expect(res.stderr).toBe('')
      expect(res.code).toBe(0)
      expect(res.stdout.trim().split('\n')).toHaveLength(4)
    }
    const cron = JSON.parse(
      (await adminRequest(cluster, 'GET', `/apis/batch/v1/namespaces/${home}/cronjobs/safe-secret-reaper`))
        .body,
    )
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].image).toBe('example.com/reaper:1')

    const past = rfc3339(Date.now() - 1000)
    const future = rfc3339(Date.now() + 3_600_000)
    await seed(target, [
      { name: 'old', labels: { ...MANAGED }, annotations: { [EXPIRES_AT]: past } },
      { name: 'young', labels: { ...MANAGED }, annotations: { [EXPIRES_AT]: future } },
    ])

    const reap = await safeSecret(cluster, ['reap', '-n', target, `--as=${sa}`])
    expect(reap.stderr).toMatch(/reaped 1 expired secret/)
    expect(reap.code).toBe(0)
    expect(await getSecret(cluster, target, 'old')).toBeUndefined()
    expect(await getSecret(cluster, target, 'young')).toBeDefined()
    const reapAll = await safeSecret(cluster, ['reap', '-A', '--dry-run=server', `--as=${sa}`])
    expect(reapAll.code).toBe(0)

    const createSecret = await kubectl(cluster, [
      'create',
      'secret',
      'generic',
      uniqueName('x'),
      '-n',
      target,
      `--as=${sa}`,
    ])
    expect(createSecret.code).not.toBe(0)
    expect(createSecret.stderr).toMatch(/forbidden/i)
    const configMaps = await kubectl(cluster, ['get', 'configmaps', '-n', target, `--as=${sa}`])
    expect(configMaps.code).not.toBe(0)
    expect(configMaps.stderr).toMatch(/forbidden/i)
    const getOne = await kubectl(cluster, ['get', 'secret', 'young', '-n', target, `--as=${sa}`])
    expect(getOne.code).not.toBe(0)
    expect(getOne.stderr).toMatch(/forbidden/i)
    const jobs = await kubectl(cluster, [
      'create',
      'job',
      uniqueName('j'),
      '--image=registry.k8s.io/pause',
      '-n',
      target,
      `--as=${sa}`,
    ])
    expect(jobs.code).not.toBe(0)

    const un = await safeSecret(cluster, ['reaper', 'uninstall', '-n', home])
    expect(un.code).toBe(0)
    expect(un.stdout.trim().split('\n')).toHaveLength(4)
    expect(
      (await adminRequest(cluster, 'GET', `/apis/batch/v1/namespaces/${home}/cronjobs/safe-secret-reaper`))
        .status,
    ).toBe(404)
    expect(
      (
        await adminRequest(
          cluster,
          'GET',
          `/apis/rbac.authorization.k8s.io/v1/clusterroles/safe-secret-reaper:${home}`,
        )
      ).status,
    ).toBe(404)
    const again = await safeSecret(cluster, ['reaper', 'uninstall', '-n', home])
    expect(again.code).toBe(0)
  })
})
