/**
 * `audit cluster`: reads one snapshot, runs every check over it. The checks are
 * pure; only readSnapshot talks to the cluster.
 */
import type { AuditReport, CheckResult } from '../findings.js'
import { checkSecretMounters, checkSecretReaders } from './access.js'
import { checkEncryptionAtRest } from './encryption.js'
import { checkSecretEscalation } from './escalation.js'
import { checkEtcdTransport } from './etcd.js'
import { checkLastApplied, checkSecretLifetime } from './secret-metadata.js'
import type { ClusterSnapshot } from './types.js'
import { checkSecretEnv } from './workload-secrets.js'

export interface ClusterAuditOptions {
  maxAgeMs: number
}

export function auditSnapshot(snapshot: ClusterSnapshot, options: ClusterAuditOptions): AuditReport {
  const results: CheckResult[] = [
    checkEncryptionAtRest(snapshot),
    checkEtcdTransport(snapshot),
    checkSecretReaders(snapshot),
    checkSecretMounters(snapshot),
    checkSecretEscalation(snapshot),
    checkSecretEnv(snapshot),
    checkLastApplied(snapshot),
    checkSecretLifetime(snapshot, options.maxAgeMs),
  ]
  const scope = `cluster ${snapshot.server}, ${snapshot.namespace === undefined ? 'all namespaces' : `namespace ${snapshot.namespace}`}`
  return {
    scope,
    findings: results.flatMap((r) => r.findings),
    checks: results.map((r) => r.summary),
  }
}
