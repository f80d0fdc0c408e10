import { describe, expect, it } from 'vitest'
import { dryRunSuffix, normalizeDryRunArgv } from '../../../src/expiry/cli-args.js'
import { extendPatch } from '../../../src/expiry/extend.js'
import { managedSecretFromRow, renderTable, tableColumns, toSecretList } from '../../../src/expiry/list.js'
import { clusterObjectName, manifestPath, reaperManifests } from '../../../src/expiry/reaper-manifests.js'
import { humanDuration } from '../../../src/time/human.js'
import { formatRfc3339Utc, parseRfc3339 } from '../../../src/time/instant.js'

const now = new Date('2026-11-26T12:00:00Z')

describe('normalizeDryRunArgv', () => {
  it('turns a bare --dry-run into client, like kubectl', () => {
    expect(normalizeDryRunArgv(['-A', '--dry-run'])).toEqual(['-A', '--dry-run=client'])
    expect(normalizeDryRunArgv(['--dry-run', 'server', '-A'])).toEqual(['--dry-run=server', '-A'])
    expect(normalizeDryRunArgv(['--dry-run=server'])).toEqual(['--dry-run=server'])
    expect(normalizeDryRunArgv(['--dry-run', '-n', 'x'])).toEqual(['--dry-run=client', '-n', 'x'])
    expect(normalizeDryRunArgv(['--', '--dry-run'])).toEqual(['--', '--dry-run'])
    expect(dryRunSuffix('server')).toBe(' (server dry run)')
    expect(dryRunSuffix('none')).toBe('')
  })
})

describe('humanDuration', () => {
  it.each([
    [45_000, '45s'],
    [119_000, '119s'],
    [330_000, '5m30s'],
    [7_140_000, '119m'],
    [4 * 3_600_000 + 60_000 * 5, '4h5m'],
    [30 * 3_600_000, '30h'],
    [3 * 86_400_000 + 3_600_000, '3d1h'],
    [40 * 86_400_000, '40d'],
  ])('%d ms reads %s, as in kubectl', (ms, text) => {
    expect(humanDuration(ms)).toBe(text)
  })
})

describe('RFC 3339', () => {
  it('round-trips and rejects what is not RFC 3339', () => {
    expect(formatRfc3339Utc(parseRfc3339('2026-12-01T19:00:00.5+01:00') as Date)).toBe('2026-12-01T18:00:00Z')
    expect(parseRfc3339('2026-12-01')).toBeUndefined()
    expect(parseRfc3339('2026-13-01T00:00:00Z')).toBeUndefined()
    expect(parseRfc3339('2026-12-01T24:00:00Z')).toBeUndefined()
    expect(parseRfc3339('2028-02-29T00:00:00Z')?.toISOString()).toBe('2028-02-29T00:00:00.000Z')
    expect(parseRfc3339('2027-02-29T00:00:00Z')).toBeUndefined()
  })
})

describe('list rows', () => {
  const meta = {
    name: 'db',
    namespace: 'team-a',
    creationTimestamp: '2026-11-26T11:00:00Z',
    labels: {
      'app.kubernetes.io/managed-by': 'kubectl-safe-secret',
      'cleanup.kyverno.io/ttl': '2026-11-26T130000Z',
    },
    annotations: {
      'kubectl-safe-secret.io/expires-at': '2026-11-26T13:00:00Z',
      'kubectl-safe-secret.io/expiry-mode': 'job',
    },
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'sst-db-abcde', uid: 'u1' }],
  }

  it('takes the key count from the server-side table and the timer state from the Jobs', () => {
    const row = managedSecretFromRow(meta, { Data: 2, Type: 'Opaque' }, new Set(['u1']))
    expect(row).toMatchObject({
      keys: 2,
      mode: 'job',
      timer: 'yes',
      timerJob: 'sst-db-abcde',
      compat: ['kyverno'],
    })
    expect(managedSecretFromRow(meta, {}, new Set()).timer).toBe('missing')
    expect(managedSecretFromRow(meta, {}, undefined).timer).toBe('unknown')
    expect(managedSecretFromRow({ ...meta, ownerReferences: [] }, {}, new Set()).timer).toBe('none')
  })

  it('shows a timer the job controller has not started 5 s after its creation as pending', () => {
    const now = new Date('2026-11-26T12:00:10Z')
    const timers = (startTime?: string, created = '2026-11-26T12:00:00Z') =>
      new Map([['u1', { creationTimestamp: created, startTime }]])
    expect(managedSecretFromRow(meta, {}, timers(), now).timer).toBe('pending')
    expect(managedSecretFromRow(meta, {}, timers('2026-11-26T12:00:00Z'), now).timer).toBe('yes')
    expect(managedSecretFromRow(meta, {}, timers(undefined, '2026-11-26T12:00:07Z'), now).timer).toBe('yes')
  })

  it("shows the consumer: the Secret's own owner, or its timer's", () => {
    const bound = {
      ...meta,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1' }],
    }
    expect(managedSecretFromRow(bound, {}, new Map()).owner).toBe('Deployment/web')
    const viaTimer = new Map([['u1', { startTime: '2026-11-26T12:00:00Z', owner: 'Job/migrate' }]])
    expect(managedSecretFromRow(meta, {}, viaTimer).owner).toBe('Job/migrate')
    expect(managedSecretFromRow(meta, {}, new Set(['u1'])).owner).toBeUndefined()
  })

  it('renders like kubectl get, with NAMESPACE under -A and more columns with -o wide', () => {
    const rows = [
      managedSecretFromRow(meta, { Data: 2, Type: 'Opaque' }, new Set(['u1'])),
      managedSecretFromRow({ name: 'old', namespace: 'b', annotations: {} }, {}, new Set()),
    ]
    const text = renderTable(tableColumns({ allNamespaces: true, wide: false, now }), rows)
    expect(text).toBe(
      [
        'NAMESPACE   NAME   KEYS   AGE         EXPIRES-AT             REMAINING   MODE     TIMER   OWNER',
        'team-a      db     2      60m         2026-11-26T13:00:00Z   60m         job      yes     <none>',
        'b           old    ?      <unknown>   <none>                 <none>      <none>   -       <none>',
        '',
      ].join('\n'),
    )
    const wide = renderTable(tableColumns({ allNamespaces: false, wide: true, now }), rows.slice(0, 1))
    expect(wide.split('\n')[0]).toMatch(/TIMER\s+OWNER\s+TIMER-JOB\s+COMPAT\s+TYPE$/)
    const out = toSecretList(rows) as {
      kind: string
      items: {
        apiVersion: string
        kind: string
        metadata: { name?: string }
        type?: string
        data?: unknown
      }[]
    }
    expect(out.kind).toBe('List')
    expect(out.items[0]).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: meta, type: 'Opaque' })
    expect(out.items[1]).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: rows[1]?.metadata })
    expect(
      renderTable(tableColumns({ allNamespaces: false, wide: false, now }), rows, { headers: false }),
    ).toBe(
      [
        'db    2   60m         2026-11-26T13:00:00Z   60m      job      yes   <none>',
        'old   ?   <unknown>   <none>                 <none>   <none>   -     <none>',
        '',
      ].join('\n'),
    )
  })
})

describe('extendPatch', () => {
  it('replaces only the timer owner, moves the compat formats and guards with resourceVersion', () => {
    const patch = extendPatch(
      {
        resourceVersion: '42',
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'Job', name: 'sst-old', uid: 'u-old' },
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'keep', uid: 'u-keep' },
        ],
        labels: { 'cleanup.kyverno.io/ttl': 'x' },
        annotations: { 'janitor/expires': 'x' },
      },
      new Date('2026-11-27T00:00:00Z'),
      'job',
      { apiVersion: 'batch/v1', kind: 'Job', name: 'new', uid: 'u-new' },
    ) as { metadata: Record<string, unknown> }
    expect(patch.metadata.resourceVersion).toBe('42')
    expect(patch.metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'keep', uid: 'u-keep' },
      { apiVersion: 'batch/v1', kind: 'Job', name: 'new', uid: 'u-new' },
    ])
    expect(patch.metadata.annotations).toMatchObject({
      'kubectl-safe-secret.io/expires-at': '2026-11-27T00:00:00Z',
      'janitor/expires': '2026-11-27T00:00:00Z',
    })
    expect(patch.metadata.labels).toMatchObject({ 'cleanup.kyverno.io/ttl': '2026-11-27T000000Z' })
  })

  it('leaves ownerReferences alone in annotation mode', () => {
    const patch = extendPatch({ resourceVersion: '1' }, now, 'annotation', undefined) as {
      metadata: Record<string, unknown>
    }
    expect(patch.metadata.ownerReferences).toBeUndefined()
  })
})

describe('reaperManifests', () => {
  it('grants list and delete on Secrets and nothing else', () => {
    for (const scope of ['cluster', 'namespace'] as const) {
      const ms = reaperManifests({
        name: 'r',
        namespace: 'ops',
        image: 'img:1',
        schedule: '*/5 * * * *',
        scope,
      })
      const role = ms.find((m) => m.kind.endsWith('Role')) as unknown as { rules: unknown }
      expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['list', 'delete'] }])
      const cron = ms.find((m) => m.kind === 'CronJob') as unknown as {
        spec: {
          jobTemplate: {
            spec: { template: { spec: { serviceAccountName: string; containers: { args: string[] }[] } } }
          }
        }
      }
      const pod = cron.spec.jobTemplate.spec.template.spec
      expect(pod.serviceAccountName).toBe('r')
      expect(pod.containers[0]?.args).toEqual(
        scope === 'cluster' ? ['reap', '--all-namespaces'] : ['reap', '--namespace', 'ops'],
      )
    }
    const cluster = reaperManifests({
      name: 'r',
      namespace: 'ops',
      image: 'i',
      schedule: 's',
      scope: 'cluster',
    })
    expect(cluster.map((m) => m.kind)).toEqual([
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'CronJob',
    ])
    expect(clusterObjectName({ name: 'r', namespace: 'ops' })).toBe('r:ops')
    expect(manifestPath(cluster[1] as (typeof cluster)[number])).toBe(
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/r%3Aops',
    )
    expect(manifestPath(cluster[3] as (typeof cluster)[number])).toBe(
      '/apis/batch/v1/namespaces/ops/cronjobs/r',
    )
  })
})
