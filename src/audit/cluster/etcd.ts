/**
 * etcd transport security, from what kubeadm-style static pods show in
 * kube-system: etcd's own client and peer TLS flags, and how the apiserver
 * talks to etcd (--etcd-servers scheme, --etcd-cafile, --etcd-certfile).
 */
import { type CheckResult, type Finding, type Severity, unknownFinding, unknownResult } from '../findings.js'
import { componentOf, ignoredPodsNote, podFlags, podId, splitMirrorPods } from './pod-flags.js'
import type { ClusterSnapshot, Pod } from './types.js'

export const CHECK = 'etcd-transport'

const BY_HAND_ETCD =
  "on an etcd node, read /etc/kubernetes/manifests/etcd.yaml or 'ps -o args= -C etcd': --cert-file, --client-cert-auth=true, --peer-cert-file, --peer-client-cert-auth=true and only https:// URLs; from a node, 'curl -s http://ETCD:2379/version' must fail and 'curl --cacert ca.crt https://ETCD:2379/version' without a client certificate must be refused; on a managed cluster the provider runs etcd"
const BY_HAND_APISERVER =
  'on a control-plane node, read /etc/kubernetes/manifests/kube-apiserver.yaml: --etcd-servers=https://..., --etcd-cafile, --etcd-certfile and --etcd-keyfile'

function urls(flags: Map<string, string>, name: string): string[] {
  return (flags.get(name) ?? '').split(',').filter((u) => u !== '')
}

function isTrue(v: string | undefined): boolean {
  return v === 'true' || v === '1'
}

/**
 * Whether etcd requires and verifies a certificate from whoever connects to its
 * https:// client (PREFIX '') or peer (PREFIX 'peer-') URLs: with
 * --client-cert-auth=true, and also whenever --trusted-ca-file is set, even with
 * --client-cert-auth=false (etcd's TLSInfo.ServerConfig in
 * go.etcd.io/etcd/client/pkg/v3/transport sets RequireAndVerifyClientCert for
 * either). The same for the peer flags.
 */
function requiresCertificates(flags: Map<string, string>, prefix: '' | 'peer-'): boolean {
  return (
    isTrue(flags.get(`${prefix}client-cert-auth`)) || (flags.get(`${prefix}trusted-ca-file`) ?? '') !== ''
  )
}

/** Which of these URL flags name a plain http:// endpoint. */
function plainHttpFlags(flags: Parameters<typeof urls>[0], names: string[]): string[] {
  return names.filter((n) => urls(flags, n).some((u) => u.startsWith('http://')))
}

export function etcdPodFindings(pod: Pod): Finding[] {
  const f = podFlags(pod, 'etcd')
  const where = podId(pod)
  const out: Finding[] = []
  const add = (level: Severity, detail: string, fix: string) =>
    out.push({ check: CHECK, level, where, detail, fix })
  const plainClient = plainHttpFlags(f, ['listen-client-urls', 'advertise-client-urls'])
  if (plainClient.length > 0) {
    add(
      'high',
      `etcd serves clients over plain http:// (--${plainClient.join(', --')}): Secrets cross the network readable`,
      'serve clients on https:// only, with --cert-file/--key-file and --client-cert-auth=true',
    )
  }
  if (!f.has('cert-file') || !f.has('key-file')) {
    add(
      'high',
      'etcd has no client TLS certificate (--cert-file/--key-file)',
      'set --cert-file and --key-file',
    )
  }
  if (!requiresCertificates(f, '')) {
    add(
      'high',
      'etcd does not require client certificates (neither --client-cert-auth=true nor --trusted-ca-file): anyone who reaches its port can read every Secret',
      'set --client-cert-auth=true and --trusted-ca-file',
    )
  }
  const plainPeer = plainHttpFlags(f, ['listen-peer-urls', 'initial-advertise-peer-urls'])
  if (plainPeer.length > 0) {
    add(
      'high',
      `etcd peer traffic is plain http:// (--${plainPeer.join(', --')}): replication carries every Secret readable`,
      'use https:// peer URLs with --peer-cert-file/--peer-key-file and --peer-client-cert-auth=true',
    )
  }
  if (!f.has('peer-cert-file') || !f.has('peer-key-file')) {
    add(
      'high',
      'etcd has no peer TLS certificate (--peer-cert-file/--peer-key-file)',
      'set --peer-cert-file and --peer-key-file',
    )
  }
  if (!requiresCertificates(f, 'peer-')) {
    add(
      'medium',
      'etcd does not require peer certificates (neither --peer-client-cert-auth=true nor --peer-trusted-ca-file): any host can join or listen as a peer',
      'set --peer-client-cert-auth=true and --peer-trusted-ca-file',
    )
  }
  return out
}

export function apiserverEtcdFindings(pod: Pod): Finding[] {
  const f = podFlags(pod, 'kube-apiserver')
  const where = podId(pod)
  const out: Finding[] = []
  const add = (level: Severity, detail: string, fix: string) =>
    out.push({ check: CHECK, level, where, detail, fix })
  const servers = urls(f, 'etcd-servers')
  if (servers.some((u) => u.startsWith('http://'))) {
    add(
      'high',
      'kube-apiserver talks to etcd over plain http:// (--etcd-servers): every Secret crosses the network readable',
      'point --etcd-servers at https:// URLs',
    )
  }
  if (!f.has('etcd-cafile')) {
    add('medium', 'kube-apiserver does not verify etcd’s certificate (no --etcd-cafile)', 'set --etcd-cafile')
  }
  if (!f.has('etcd-certfile') || !f.has('etcd-keyfile')) {
    add(
      'high',
      'kube-apiserver presents no client certificate to etcd (no --etcd-certfile/--etcd-keyfile): etcd cannot be requiring client certificates',
      'set --etcd-certfile and --etcd-keyfile, and --client-cert-auth=true on etcd',
    )
  }
  return out
}

export function checkEtcdTransport(snapshot: ClusterSnapshot): CheckResult {
  if (!snapshot.controlPlanePods.ok) {
    return unknownResult(
      CHECK,
      'kube-system',
      snapshot.controlPlanePods.reason,
      `${BY_HAND_ETCD}; ${BY_HAND_APISERVER}`,
    )
  }
  const { mirror: pods, ignored } = splitMirrorPods(snapshot.controlPlanePods.items)
  const etcds = pods.filter((p) => componentOf(p) === 'etcd')
  const apiservers = pods.filter((p) => componentOf(p) === 'kube-apiserver')
  const findings: Finding[] = [
    ...etcds.flatMap(etcdPodFindings),
    ...apiservers.flatMap(apiserverEtcdFindings),
  ]
  const signals: string[] = []
  // etcd-transport findings come from mirror pods' flags only; the signal says so.
  const notVisible: string[] = []
  if (etcds.length > 0) {
    signals.push(`etcd mirror pod flags (${etcds.map(podId).join(', ')})`)
  } else {
    const missing = 'no etcd mirror pod (component=etcd, a static pod) is visible in kube-system'
    notVisible.push(missing)
    findings.push(
      unknownFinding(
        CHECK,
        'kube-system',
        `${missing}: a managed control plane, or etcd runs outside Kubernetes`,
        BY_HAND_ETCD,
      ),
    )
  }
  if (apiservers.length > 0) {
    signals.push(`kube-apiserver mirror pod flags (${apiservers.map(podId).join(', ')})`)
  } else {
    const missing =
      'no kube-apiserver mirror pod (component=kube-apiserver, a static pod) is visible in kube-system'
    notVisible.push(missing)
    findings.push(unknownFinding(CHECK, 'kube-system', missing, BY_HAND_APISERVER))
  }
  const known = findings.filter((f) => f.level !== 'unknown')
  const notes = [
    ...(notVisible.length > 0 ? [`not visible: ${notVisible.join('; ')}`] : []),
    ignoredPodsNote(ignored),
  ].filter(Boolean)
  return {
    findings,
    summary: {
      check: CHECK,
      status: known.length > 0 ? 'fail' : notVisible.length > 0 ? 'unknown' : 'pass',
      ...(signals.length > 0 ? { signal: signals.join('; ') } : {}),
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    },
  }
}
