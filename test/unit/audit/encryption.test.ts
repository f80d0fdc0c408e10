import { describe, expect, it } from 'vitest'
import { checkEncryptionAtRest, readMetricsSignal } from '../../../src/audit/cluster/encryption.js'
import type { ClusterSnapshot, Pod } from '../../../src/audit/cluster/types.js'
import { emptySnapshot } from '../../fixtures/audit/cluster-fixtures.js'

// Lines as the v1.37.2 apiserver printed them (test control plane, see docs/dev-notes/audit.md).
const CONFIG =
  'apiserver_encryption_config_controller_last_config_info{apiserver_id_hash="sha256:7309",hash="sha256:b878"} 1'
const op = (type: string, prefix: string, n = 1, resource = 'secrets') =>
  `apiserver_storage_transformation_operations_total{resource="${resource}",status="OK",transformation_type="${type}",transformer_prefix="${prefix}"} ${n}`
const UNRELATED = [
  '# TYPE apiserver_envelope_encryption_dek_cache_fill_percent gauge',
  'apiserver_envelope_encryption_dek_cache_fill_percent 0',
  'apiserver_storage_envelope_transformation_cache_misses_total 0',
].join('\n')

describe('readMetricsSignal', () => {
  it('no EncryptionConfiguration: no config info, no transformation → plain', () => {
    const r = readMetricsSignal(UNRELATED)
    expect(r.verdict).toBe('plain')
    expect(r.why).toMatch(/no EncryptionConfiguration/)
  })

  it('aescbc first: to_storage with k8s:enc:aescbc:v1: (and the inner key prefix) → encrypted', () => {
    const text = [
      CONFIG,
      op('from_storage', 'k8s:enc:aescbc:v1:', 2),
      op('from_storage', 'key1:', 2),
      op('to_storage', 'k8s:enc:aescbc:v1:'),
      op('to_storage', 'key1:'),
    ].join('\n')
    const r = readMetricsSignal(text)
    expect(r.verdict).toBe('encrypted')
    expect(r.why).toMatch(/aescbc v1/)
    expect(r.why).toMatch(
      /^1 Secret write encrypted with aescbc v1 and no plain read .*\(2 encrypted reads\)$/,
    )
  })

  it('identity first: writes with the empty prefix → plain, even though old encrypted data is read', () => {
    const text = [
      CONFIG,
      op('from_storage', 'identity'),
      op('from_storage', 'k8s:enc:aescbc:v1:', 2),
      op('to_storage', ''),
    ].join('\n')
    expect(readMetricsSignal(text).verdict).toBe('plain')
  })

  it('only encrypted reads, no write yet → unknown: the provider for new writes is not confirmed', () => {
    const r = readMetricsSignal([CONFIG, op('from_storage', 'k8s:enc:aescbc:v1:')].join('\n'))
    expect(r.verdict).toBe('unknown')
    expect(r.why).toMatch(/not confirmed/)
  })

  it('encryption turned on over old data: encrypted writes but plain reads → plain (the mixed state)', () => {
    const text = [
      CONFIG,
      'process_start_time_seconds 1.7646624e+09',
      op('from_storage', 'identity', 5),
      op('from_storage', 'k8s:enc:aescbc:v1:', 1),
      op('to_storage', 'k8s:enc:aescbc:v1:', 1),
      op('to_storage', 'key1:', 1),
    ].join('\n')
    const r = readMetricsSignal(text)
    expect(r.verdict).toBe('plain')
    expect(r.why).toMatch(
      /^5 Secret reads from etcd in plain text since the apiserver started \(2025-12-02T08:00:00.000Z\): Secrets written before encryption was turned on are still stored in plain text; new writes are encrypted with aescbc v1/,
    )
  })

  it('mixed writes (one apiserver without encryption) → plain', () => {
    const text = [CONFIG, op('to_storage', 'k8s:enc:aescbc:v1:', 3), op('to_storage', '', 1)].join('\n')
    const r = readMetricsSignal(text)
    expect(r.verdict).toBe('plain')
    expect(r.why).toMatch(/^1 Secret write in plain text .*and 3 encrypted writes/)
  })

  it('plain data read back → plain', () => {
    expect(readMetricsSignal([CONFIG, op('from_storage', 'identity', 3)].join('\n')).verdict).toBe('plain')
  })

  it('a config covering configmaps only → plain for secrets', () => {
    const r = readMetricsSignal([CONFIG, op('to_storage', 'k8s:enc:aesgcm:v1:', 1, 'configmaps')].join('\n'))
    expect(r.verdict).toBe('plain')
    expect(r.why).toMatch(/configmaps but not secrets/)
  })

  it('a config loaded but no Secret through it yet → unknown', () => {
    expect(readMetricsSignal(CONFIG).verdict).toBe('unknown')
  })

  it('failed transformations do not count', () => {
    const failed =
      'apiserver_storage_transformation_operations_total{resource="secrets",status="Internal",transformation_type="to_storage",transformer_prefix="k8s:enc:kms:v2:"} 4'
    expect(readMetricsSignal([CONFIG, failed].join('\n')).verdict).toBe('unknown')
  })
})

const apiserver = (flags: string[]): Pod => ({
  metadata: {
    name: 'kube-apiserver-cp1',
    namespace: 'kube-system',
    labels: { component: 'kube-apiserver' },
    annotations: { 'kubernetes.io/config.mirror': 'abc' },
    ownerReferences: [{ kind: 'Node', name: 'cp1' }],
  },
  spec: { containers: [{ name: 'kube-apiserver', command: ['kube-apiserver', ...flags] }] },
})

const snapshot = (over: Partial<ClusterSnapshot>) =>
  emptySnapshot({ metrics: { ok: true, text: UNRELATED }, ...over })

describe('checkEncryptionAtRest', () => {
  it('plain from /metrics, whatever the flag says', () => {
    const r = checkEncryptionAtRest(
      snapshot({
        controlPlanePods: { ok: true, items: [apiserver(['--encryption-provider-config=/e.yaml'])] },
      }),
    )
    expect(r.summary.signal).toMatch(/^\/metrics/)
    expect(r.findings[0]?.level).toBe('high')
    expect(r.findings[0]?.detail).toMatch(/no EncryptionConfiguration loaded/)
  })

  it('the flag alone never passes: its providers are not visible', () => {
    const r = checkEncryptionAtRest(
      snapshot({
        metrics: { ok: false, reason: 'Forbidden: cannot get /metrics' },
        controlPlanePods: { ok: true, items: [apiserver(['--encryption-provider-config', '/e.yaml'])] },
      }),
    )
    expect(r.summary).toMatchObject({ status: 'unknown' })
    expect(r.findings[0]?.detail).toMatch(/Forbidden.*providers are not visible/)
  })

  it('a missing flag fails even when /metrics show encrypted writes (another apiserver may write plain)', () => {
    const r = checkEncryptionAtRest(
      snapshot({
        metrics: { ok: true, text: [CONFIG, op('to_storage', 'k8s:enc:aescbc:v1:')].join('\n') },
        controlPlanePods: { ok: true, items: [apiserver([])] },
      }),
    )
    expect(r.summary.status).toBe('fail')
    expect(r.findings[0]?.detail).toMatch(/runs without --encryption-provider-config.*shows encrypted writes/)
  })

  it('pass: encrypted writes, no plain read, and the flag agrees', () => {
    const r = checkEncryptionAtRest(
      snapshot({
        metrics: { ok: true, text: [CONFIG, op('to_storage', 'k8s:enc:aescbc:v1:')].join('\n') },
        controlPlanePods: { ok: true, items: [apiserver(['--encryption-provider-config=/e.yaml'])] },
      }),
    )
    expect(r.summary.status).toBe('pass')
    expect(r.summary.note).toMatch(/--encryption-provider-config .* agrees/)
  })

  it('nothing readable → unknown with both reasons and how to check by hand, never a pass', () => {
    const r = checkEncryptionAtRest(
      snapshot({
        metrics: { ok: false, reason: 'Forbidden: cannot get /metrics' },
        controlPlanePods: { ok: false, reason: 'Forbidden: cannot list pods in namespace kube-system' },
      }),
    )
    expect(r.summary.status).toBe('unknown')
    expect(r.findings).toHaveLength(1)
    expect(r.findings[0]).toMatchObject({ level: 'unknown' })
    expect(r.findings[0]?.detail).toMatch(/metrics.*kube-system/)
    expect(r.findings[0]?.fix).toMatch(/^check by hand: .*etcdctl/)
  })
})
