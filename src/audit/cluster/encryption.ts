/**
 * Encryption at rest for Secrets, from evidence only. A false pass is worse than
 * no answer, so:
 * - plain reads or plain writes of Secrets since the apiserver started → fail;
 * - no evidence either way → unknown;
 * - pass needs encrypted writes and no plain read.
 *
 * The evidence:
 * 1. the apiserver's /metrics, counted since it started:
 *    - apiserver_storage_transformation_operations_total{resource="secrets"}:
 *      to_storage with a `k8s:enc:<provider>:` prefix is an encrypted write, with
 *      an empty prefix a plain one; from_storage with `k8s:enc:...` is an
 *      encrypted read, with `identity` a plain one. The watch cache reads every
 *      Secret when the apiserver starts, so Secrets written before encryption was
 *      turned on show up as plain reads until they are rewritten (and the
 *      apiserver restarted: the counters only grow);
 *    - apiserver_encryption_config_controller_last_config_info: present as soon
 *      as an EncryptionConfiguration is loaded;
 *    - neither present: no EncryptionConfiguration (checked on v1.37: without one,
 *      the apiserver records no transformation at all).
 * 2. the --encryption-provider-config flag of the kube-apiserver mirror pods in
 *    kube-system: its absence is evidence of plain writes; its presence says
 *    nothing about the providers (identity may come first), so it never passes.
 */
import { type CheckResult, type Finding, unknownResult } from '../findings.js'
import { parseMetrics } from './metrics.js'
import { componentOf, podFlags, podId, splitMirrorPods } from './pod-flags.js'
import type { ClusterSnapshot, Pod } from './types.js'

export const CHECK = 'encryption-at-rest'

type Verdict = 'encrypted' | 'plain' | 'unknown'

export interface SignalReading {
  verdict: Verdict
  signal: string
  why: string
}

const OPS = 'apiserver_storage_transformation_operations_total'
const CONFIG_INFO = 'apiserver_encryption_config_controller_last_config_info'
const START_TIME = 'process_start_time_seconds'

function providerOf(prefix: string): string {
  const m = /^k8s:enc:([^:]+):(v\d+):/.exec(prefix)
  return m ? `${m[1]} ${m[2]}` : prefix
}

const isIdentity = (prefix: string) => prefix === '' || prefix === 'identity'

/** What the counters show for Secrets since the apiserver started. */
interface Evidence {
  plainWrites: number
  plainReads: number
  encryptedWrites: Map<string, number>
  encryptedReads: Map<string, number>
}

function sum(m: Map<string, number>): number {
  return [...m.values()].reduce((a, b) => a + b, 0)
}

function providers(m: Map<string, number>): string {
  return [...m.keys()].join(', ')
}

function times(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`
}

/** What /metrics say about Secrets, or why they say nothing conclusive. */
export function readMetricsSignal(text: string): SignalReading {
  const samples = parseMetrics(text, new Set([OPS, CONFIG_INFO, START_TIME]))
  const ops = samples.filter((s) => s.name === OPS && s.value > 0 && (s.labels.status ?? 'OK') === 'OK')
  const secretOps = ops.filter((s) => s.labels.resource === undefined || s.labels.resource === 'secrets')
  const configLoaded = samples.some((s) => s.name === CONFIG_INFO)
  const started = samples.find((s) => s.name === START_TIME)?.value
  const since =
    started && Number.isFinite(started)
      ? `since the apiserver started (${new Date(started * 1000).toISOString()})`
      : 'since the apiserver started'
  const evidence: Evidence = {
    plainWrites: 0,
    plainReads: 0,
    encryptedWrites: new Map(),
    encryptedReads: new Map(),
  }
  for (const s of secretOps) {
    const prefix = s.labels.transformer_prefix ?? ''
    const write = s.labels.transformation_type === 'to_storage'
    const read = s.labels.transformation_type === 'from_storage'
    if (isIdentity(prefix)) {
      if (write) evidence.plainWrites += s.value
      if (read) evidence.plainReads += s.value
    } else if (prefix.startsWith('k8s:enc:')) {
      // aescbc also records its key name (`key1:`) as a nested prefix: only the outer one counts.
      const m = write ? evidence.encryptedWrites : read ? evidence.encryptedReads : undefined
      m?.set(providerOf(prefix), (m.get(providerOf(prefix)) ?? 0) + s.value)
    }
  }
  const signal = `/metrics ${OPS}{resource="secrets"}`
  const encWrites = sum(evidence.encryptedWrites)
  const newWrites =
    encWrites > 0
      ? `; new writes are encrypted with ${providers(evidence.encryptedWrites)}, which does not rewrite the old ones`
      : ''
  if (evidence.plainWrites > 0) {
    return {
      verdict: 'plain',
      signal,
      why: `${times(evidence.plainWrites, 'Secret write')} in plain text ${since}: the identity provider comes first for secrets, or no EncryptionConfiguration covers them${encWrites > 0 ? ` (and ${times(encWrites, 'encrypted write')}: the apiservers disagree, or the configuration changed)` : ''}`,
    }
  }
  if (evidence.plainReads > 0) {
    return {
      verdict: 'plain',
      signal,
      why: `${times(evidence.plainReads, 'Secret read')} from etcd in plain text ${since}: Secrets written before encryption was turned on are still stored in plain text${newWrites}`,
    }
  }
  if (encWrites > 0) {
    const reads = sum(evidence.encryptedReads)
    return {
      verdict: 'encrypted',
      signal,
      why: `${times(encWrites, 'Secret write')} encrypted with ${providers(evidence.encryptedWrites)} and no plain read ${since}${reads > 0 ? ` (${times(reads, 'encrypted read')})` : ''}`,
    }
  }
  if (evidence.encryptedReads.size > 0) {
    return {
      verdict: 'unknown',
      signal,
      why: `Secrets read from etcd ${since} were encrypted with ${providers(evidence.encryptedReads)}, but no Secret was written since, so the provider for new writes is not confirmed`,
    }
  }
  if (ops.length > 0) {
    const resources = [...new Set(ops.map((s) => s.labels.resource).filter(Boolean))].join(', ')
    return {
      verdict: 'plain',
      signal: `/metrics ${OPS}`,
      why: `the EncryptionConfiguration covers ${resources || 'other resources'} but not secrets`,
    }
  }
  if (configLoaded) {
    return {
      verdict: 'unknown',
      signal: `/metrics ${CONFIG_INFO}`,
      why: `an EncryptionConfiguration is loaded, but no Secret went through it ${since}, so whether it covers secrets is not visible`,
    }
  }
  return {
    verdict: 'plain',
    signal: `/metrics (no ${CONFIG_INFO}, no storage transformations)`,
    why: 'the apiserver has no EncryptionConfiguration loaded',
  }
}

/**
 * What the kube-apiserver mirror pods' flags say, when any is visible: a missing
 * flag means plain writes; a present one is not enough for a pass.
 */
export function readFlagsSignal(apiservers: Pod[]): SignalReading | undefined {
  if (apiservers.length === 0) return undefined
  const missing = apiservers.filter((p) => !podFlags(p, 'kube-apiserver').has('encryption-provider-config'))
  const signal = `kube-apiserver flag --encryption-provider-config (${apiservers.map(podId).join(', ')})`
  if (missing.length > 0) {
    return {
      verdict: 'plain',
      signal,
      why: `${missing.map(podId).join(', ')} runs without --encryption-provider-config`,
    }
  }
  return {
    verdict: 'unknown',
    signal,
    why: 'every visible kube-apiserver has --encryption-provider-config (its providers are not visible from here)',
  }
}

const FIX =
  "give every kube-apiserver an EncryptionConfiguration for secrets (aescbc, aesgcm, secretbox or KMS v2 first, not identity) with --encryption-provider-config, then rewrite the existing Secrets with 'kubectl safe-secret audit cluster --rewrite-plain-secrets' and restart the apiservers (their counters only grow)"

const BY_HAND =
  'on a control-plane node, grep encryption-provider-config /etc/kubernetes/manifests/kube-apiserver.yaml; or read one Secret straight from etcd (etcdctl get /registry/secrets/NAMESPACE/NAME | head -c 64): a k8s:enc: prefix means encrypted, readable text means plain; on a managed cluster, see the provider’s secrets encryption setting'

export function checkEncryptionAtRest(snapshot: ClusterSnapshot): CheckResult {
  const metrics = snapshot.metrics.ok ? readMetricsSignal(snapshot.metrics.text) : undefined
  const apiservers = snapshot.controlPlanePods.ok
    ? splitMirrorPods(snapshot.controlPlanePods.items).mirror.filter(
        (p) => componentOf(p) === 'kube-apiserver',
      )
    : []
  const flags = readFlagsSignal(apiservers)
  const readings = [metrics, flags].filter((s): s is SignalReading => s !== undefined)
  const plain = readings.filter((s) => s.verdict === 'plain')
  if (plain.length > 0) {
    const [first, ...rest] = plain as [SignalReading, ...SignalReading[]]
    const also = rest.map((s) => `; ${s.signal} agrees: ${s.why}`).join('')
    const contra = readings
      .filter((s) => s.verdict === 'encrypted')
      .map((s) => `; ${s.signal} shows encrypted writes: ${s.why}`)
      .join('')
    const finding: Finding = {
      check: CHECK,
      level: 'high',
      where: 'cluster',
      detail: `Secrets are stored in etcd in plain text: ${first.why} (signal: ${first.signal})${also}${contra}`,
      fix: FIX,
    }
    return {
      findings: [finding],
      summary: {
        check: CHECK,
        status: 'fail',
        signal: first.signal,
        note: `plain: ${first.why}${also}${contra}`,
      },
    }
  }
  const encrypted = readings.find((s) => s.verdict === 'encrypted')
  if (encrypted) {
    const others = readings
      .filter((s) => s !== encrypted)
      .map((s) => `; ${s.signal} agrees: ${s.why}`)
      .join('')
    return {
      findings: [],
      summary: {
        check: CHECK,
        status: 'pass',
        signal: encrypted.signal,
        note: `encrypted: ${encrypted.why}${others}`,
      },
    }
  }
  const reasons = [
    snapshot.metrics.ok ? metrics?.why : snapshot.metrics.reason,
    flags?.why ??
      (snapshot.controlPlanePods.ok
        ? 'no kube-apiserver mirror pod (component=kube-apiserver, a static pod) is visible in kube-system'
        : snapshot.controlPlanePods.reason),
  ].filter(Boolean)
  return unknownResult(CHECK, 'cluster', reasons.join('; '), BY_HAND)
}
