/**
 * Encryption at rest for Secrets, from every signal that can be read:
 * 1. the apiserver's /metrics, which reflect the running apiserver:
 *    - apiserver_storage_transformation_operations_total{resource="secrets"}:
 *      to_storage with a `k8s:enc:<provider>:` prefix means new Secrets are
 *      encrypted; an empty (identity) prefix means they are written in plain text;
 *    - apiserver_encryption_config_controller_last_config_info: present as soon
 *      as an EncryptionConfiguration is loaded;
 *    - neither present: no EncryptionConfiguration (checked on v1.37: without one,
 *      the apiserver records no transformation at all);
 *    - reads only (from_storage) describe how existing data was stored, not how
 *      new writes will be: with identity first, the apiserver reads old aescbc data
 *      (`k8s:enc:aescbc:v1:`) and writes new Secrets plain (to_storage prefix "").
 *      from_storage labels plain reads `identity`; to_storage labels them "".
 * 2. the kube-apiserver's --encryption-provider-config flag, where its static
 *    pod is visible in kube-system (the file's content is not visible).
 * The metrics win when they are conclusive: they come from the apiserver that
 * answered, while a pod spec can be stale. The summary names the signal used.
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

function providerOf(prefix: string): string {
  const m = /^k8s:enc:([^:]+):(v\d+):/.exec(prefix)
  return m ? `${m[1]} ${m[2]}` : prefix
}

const isIdentity = (prefix: string) => prefix === '' || prefix === 'identity'

/** What /metrics say about Secrets, or why they say nothing conclusive. */
export function readMetricsSignal(text: string): SignalReading {
  const samples = parseMetrics(text, new Set([OPS, CONFIG_INFO]))
  const ops = samples.filter((s) => s.name === OPS && s.value > 0 && (s.labels.status ?? 'OK') === 'OK')
  const secretOps = ops.filter((s) => s.labels.resource === undefined || s.labels.resource === 'secrets')
  const configLoaded = samples.some((s) => s.name === CONFIG_INFO)
  const signal = `/metrics ${OPS}`
  // Each outer provider records its `k8s:enc:...` prefix; aescbc also records its key name (`key1:`): ignore those.
  const outer = (type: string) =>
    secretOps
      .filter((s) => s.labels.transformation_type === type)
      .map((s) => s.labels.transformer_prefix ?? '')
      .filter((p) => isIdentity(p) || p.startsWith('k8s:enc:'))
  const writes = outer('to_storage')
  if (writes.some(isIdentity)) {
    return {
      verdict: 'plain',
      signal: `${signal}{transformation_type="to_storage"}`,
      why: 'Secrets are written with the identity provider: the EncryptionConfiguration lists identity first for secrets',
    }
  }
  if (writes.length > 0) {
    return {
      verdict: 'encrypted',
      signal: `${signal}{transformation_type="to_storage"}`,
      why: `Secrets are written encrypted with ${[...new Set(writes.map(providerOf))].join(', ')}`,
    }
  }
  const reads = outer('from_storage')
  if (reads.some(isIdentity)) {
    return {
      verdict: 'plain',
      signal: `${signal}{transformation_type="from_storage"}`,
      why: 'Secrets stored in plain text were read back from etcd',
    }
  }
  if (reads.length > 0) {
    return {
      verdict: 'encrypted',
      signal: `${signal}{transformation_type="from_storage"}`,
      why: `Secrets read from etcd since the apiserver started were encrypted with ${[...new Set(reads.map(providerOf))].join(', ')} (no write seen yet, so the provider for new writes is not confirmed)`,
    }
  }
  if (ops.length > 0) {
    const resources = [...new Set(ops.map((s) => s.labels.resource).filter(Boolean))].join(', ')
    return {
      verdict: 'plain',
      signal,
      why: `the EncryptionConfiguration covers ${resources || 'other resources'} but not secrets`,
    }
  }
  if (configLoaded) {
    return {
      verdict: 'unknown',
      signal: `/metrics ${CONFIG_INFO}`,
      why: 'an EncryptionConfiguration is loaded, but no Secret went through it since the apiserver started, so whether it covers secrets is not visible',
    }
  }
  return {
    verdict: 'plain',
    signal: `/metrics (no ${CONFIG_INFO}, no storage transformations)`,
    why: 'the apiserver has no EncryptionConfiguration loaded',
  }
}

/** What the kube-apiserver static pods' flags say, when any is visible. */
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
    verdict: 'encrypted',
    signal,
    why: 'every visible kube-apiserver has --encryption-provider-config (its providers are not visible from here)',
  }
}

const FIX =
  'give every kube-apiserver an EncryptionConfiguration for secrets (aescbc, aesgcm, secretbox or KMS v2 first, not identity) with --encryption-provider-config, then rewrite existing Secrets: kubectl get secrets -A -o json | kubectl replace -f -'

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
  const conclusive = [metrics, flags].filter(
    (s): s is SignalReading => s !== undefined && s.verdict !== 'unknown',
  )
  const answer = conclusive[0]
  if (!answer) {
    const reasons = [
      snapshot.metrics.ok ? metrics?.why : snapshot.metrics.reason,
      snapshot.controlPlanePods.ok
        ? 'no kube-apiserver mirror pod (component=kube-apiserver, a static pod) is visible in kube-system'
        : snapshot.controlPlanePods.reason,
    ].filter(Boolean)
    return unknownResult(CHECK, 'cluster', reasons.join('; '), BY_HAND)
  }
  const other = conclusive[1]
  const disagreement =
    other && other.verdict !== answer.verdict ? `; ${other.signal} disagrees: ${other.why}` : ''
  const findings: Finding[] = []
  if (answer.verdict === 'plain') {
    findings.push({
      check: CHECK,
      level: 'high',
      where: 'cluster',
      detail: `Secrets are stored in etcd in plain text: ${answer.why} (signal: ${answer.signal})${disagreement}`,
      fix: FIX,
    })
  } else if (disagreement) {
    findings.push({
      check: CHECK,
      level: 'medium',
      where: 'cluster',
      detail: `signals disagree: ${answer.why} (signal: ${answer.signal})${disagreement}`,
      fix: 'check every kube-apiserver: they should all run the same EncryptionConfiguration',
    })
  }
  return {
    findings,
    summary: {
      check: CHECK,
      status: answer.verdict === 'plain' || disagreement ? 'fail' : 'pass',
      signal: answer.signal,
      note: `${answer.verdict}: ${answer.why}${other && !disagreement ? `; ${other.signal} agrees` : ''}`,
    },
  }
}
