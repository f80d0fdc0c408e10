/**
 * Secrets handed to applications as environment variables: env[].valueFrom.
 * secretKeyRef and envFrom[].secretRef, in Pods and workload templates. Lower
 * severity than the other checks: the value is still in the process
 * environment, where crash dumps, /proc and child processes see it.
 */

import { podSecretRefs } from '../../secret/pod-secret-refs.js'
import { type CheckResult, type Finding, unknownFinding } from '../findings.js'
import { type ClusterSnapshot, type PodSpec, WORKLOADS, type Workload } from './types.js'

export const CHECK = 'secret-in-env'

const WORKLOAD_KINDS = new Set(WORKLOADS.map((w) => w.kind))

/** `container: VAR from SECRET/key` descriptions; no value is ever involved. */
export function secretEnvRefs(spec: PodSpec | undefined): string[] {
  const out: string[] = []
  for (const ref of podSecretRefs(spec)) {
    if (ref.via === 'env')
      out.push(`${ref.container}: ${ref.variable} from ${ref.secret ?? '?'}/${ref.key ?? '?'}`)
    if (ref.via === 'envFrom')
      out.push(
        `${ref.container}: every key of ${ref.secret ?? '?'}${ref.prefix ? ` (prefix ${ref.prefix})` : ''}`,
      )
  }
  return out
}

function templateOf(w: Workload): PodSpec | undefined {
  return w.kind === 'CronJob' ? w.spec?.jobTemplate?.spec?.template?.spec : w.spec?.template?.spec
}

/** A Pod or ReplicaSet made by a workload is reported once, at the workload that owns its template. */
function ownedByWorkload(meta: { ownerReferences?: { kind: string; controller?: boolean }[] }): boolean {
  return (meta.ownerReferences ?? []).some((o) => o.controller && WORKLOAD_KINDS.has(o.kind))
}

const FIX =
  'mount the Secret as a volume (secret or projected volume) and read the file; env vars leak into crash dumps, /proc/PID/environ, child processes and debug output'

export function checkSecretEnv(snapshot: ClusterSnapshot): CheckResult {
  const findings: Finding[] = []
  const reasons: string[] = []
  const add = (where: string, refs: string[]) => {
    if (refs.length === 0) return
    findings.push({
      check: CHECK,
      level: 'low',
      where,
      detail: `Secret values in environment variables: ${refs.join('; ')}`,
      fix: FIX,
    })
  }
  if (snapshot.workloads.ok) {
    for (const w of snapshot.workloads.items) {
      if (ownedByWorkload(w.metadata)) continue
      add(`${w.metadata.namespace}/${w.kind.toLowerCase()}/${w.metadata.name}`, secretEnvRefs(templateOf(w)))
    }
  } else reasons.push(snapshot.workloads.reason)
  if (snapshot.pods.ok) {
    for (const p of snapshot.pods.items) {
      // Owned pods are reported at their workload, unless the workloads could not be read.
      if (snapshot.workloads.ok && ownedByWorkload(p.metadata)) continue
      add(`${p.metadata.namespace}/pod/${p.metadata.name}`, secretEnvRefs(p.spec))
    }
  } else reasons.push(snapshot.pods.reason)
  if (reasons.length > 0) {
    findings.push(
      unknownFinding(
        CHECK,
        snapshot.namespace ?? 'all namespaces',
        reasons.join('; '),
        "kubectl get pods,deployments,statefulsets,daemonsets,jobs,cronjobs -o yaml | grep -nE 'secretKeyRef|secretRef' with an identity that can read them",
      ),
    )
  }
  return {
    findings,
    summary: {
      check: CHECK,
      status: reasons.length > 0 ? 'unknown' : findings.length > 0 ? 'fail' : 'pass',
      signal: 'env[].valueFrom.secretKeyRef and envFrom[].secretRef in Pods and workload templates',
      ...(reasons.length > 0 ? { note: reasons.join('; ') } : {}),
    },
  }
}
