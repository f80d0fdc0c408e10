import { describe, expect, it } from 'vitest'
import { parseOwnedBy } from '../../../src/expiry/owner.js'
import { type PodSpec, podSpecUsesSecret, restartPatch } from '../../../src/rotate/restart.js'
import { checkRotation, foreignController, rotationPatch } from '../../../src/rotate/rotate.js'

const entry = (key: string, value: string) => ({ key, value: Buffer.from(value), origin: 'stdin' })

describe('rotationPatch', () => {
  it('guards with the resourceVersion and removes then adds each key, so a missing key fails on the server', () => {
    expect(rotationPatch('7', [entry('password', 'x')], false, true)).toEqual([
      { op: 'replace', path: '/metadata/resourceVersion', value: '7' },
      { op: 'remove', path: '/data/password' },
      { op: 'add', path: '/data/password', value: 'eA==' },
    ])
  })
  it('adds with --add, and gives a Secret without data its data object', () => {
    expect(rotationPatch('7', [entry('a', 'x')], true, true)[1]).toEqual({
      op: 'add',
      path: '/data/a',
      value: 'eA==',
    })
    expect(rotationPatch('7', [entry('a', 'x')], true, false)[1]).toEqual({
      op: 'add',
      path: '/data',
      value: { a: 'eA==' },
    })
  })
})

describe('foreignController', () => {
  const head = (type: string, ownerReferences: object[] = []) =>
    ({ type, keys: 1, metadata: { ownerReferences } }) as Parameters<typeof foreignController>[0]
  it('names a ServiceAccount token and a controller owner; lets anything else through', () => {
    expect(foreignController(head('kubernetes.io/service-account-token'))).toMatch(/ServiceAccount token/)
    expect(
      foreignController(
        head('Opaque', [{ apiVersion: 'v1', kind: 'X', name: 'op', uid: 'u', controller: true }]),
      ),
    ).toMatch(/controlled by X\/op/)
    expect(
      foreignController(head('Opaque', [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'w', uid: 'u' }])),
    ).toBeUndefined()
  })
})

describe('podSpecUsesSecret', () => {
  const c = (extra: object) => ({ containers: [{ name: 'a', ...extra }] })
  it.each([
    ['env', c({ env: [{ valueFrom: { secretKeyRef: { name: 's' } } }] })],
    ['envFrom', c({ envFrom: [{ secretRef: { name: 's' } }] })],
    ['an init container', { initContainers: [{ envFrom: [{ secretRef: { name: 's' } }] }] }],
    ['an ephemeral container', { ephemeralContainers: [{ envFrom: [{ secretRef: { name: 's' } }] }] }],
    ['a volume', { volumes: [{ secret: { secretName: 's' } }] }],
    [
      'a projected volume',
      { volumes: [{ projected: { sources: [{ configMap: {} }, { secret: { name: 's' } }] } }] },
    ],
    ['imagePullSecrets', { imagePullSecrets: [{ name: 's' }] }],
  ] as [string, PodSpec][])('finds a use in %s', (_where, spec) => {
    expect(podSpecUsesSecret(spec, 's')).toBe(true)
    expect(podSpecUsesSecret(spec, 'other')).toBe(false)
  })
  it('restarts as kubectl does, through the pod template annotation', () => {
    expect(restartPatch(new Date('2026-12-02T08:00:00Z'))).toEqual({
      spec: {
        template: {
          metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-12-02T08:00:00Z' } },
        },
      },
    })
  })
})

describe('parseOwnedBy', () => {
  it.each([
    ['deployment/web', { group: 'apps', kind: 'Deployment', resource: 'deployments', name: 'web' }],
    ['deploy/web', { group: 'apps', kind: 'Deployment', name: 'web' }],
    ['Pod/p', { group: '', version: 'v1', kind: 'Pod', resource: 'pods' }],
    ['cj/nightly', { group: 'batch', kind: 'CronJob' }],
    ['sts/db', { kind: 'StatefulSet' }],
    ['ds/agent', { kind: 'DaemonSet' }],
    ['rs/web-1', { kind: 'ReplicaSet' }],
    ['job/migrate', { group: 'batch', kind: 'Job' }],
    ['v1/ConfigMap/cfg', { group: '', version: 'v1', kind: 'ConfigMap', name: 'cfg' }],
    ['example.com/v1beta1/Widget/w', { group: 'example.com', version: 'v1beta1', kind: 'Widget', name: 'w' }],
  ])('%s', (text, expected) => {
    expect(parseOwnedBy(text)).toMatchObject(expected)
  })
  it.each([
    ['widget/x', /--owned-by widget\/x: unknown kind/],
    ['widget/P@ss!w0rd+', /--owned-by \(not shown, in case it is a value\): unknown kind/],
    ['web', /takes KIND\/NAME/],
    ['a/b/c/d/e', /takes KIND\/NAME/],
    ['apps/latest/Deployment/x', /expected GROUP\/VERSION\/KIND\/NAME/],
    ['deployment/Bad_Name', /not a valid object name/],
    ['Bad Group/v1/Kind/x', /expected GROUP\/VERSION\/KIND\/NAME/],
  ])('refuses %s', (text, message) => {
    expect(() => parseOwnedBy(text)).toThrow(message)
  })
})

describe('checkRotation', () => {
  const now = new Date()
  it("applies create's rules: valid keys, and a TLS pair rotated together", () => {
    expect(checkRotation('Opaque', [entry('password', 'x')], now)).toEqual([])
    expect(() => checkRotation('Opaque', [entry('bad key', 'x')], now)).toThrow(/not a valid key name/)
    expect(() => checkRotation('kubernetes.io/tls', [entry('tls.key', 'x')], now)).toThrow(
      /rotates tls.crt and tls.key together/,
    )
    expect(checkRotation('kubernetes.io/tls', [entry('ca.crt', 'x')], now)).toEqual([])
  })
})
