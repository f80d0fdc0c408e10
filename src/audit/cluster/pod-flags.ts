import type { Pod } from './types.js'

/**
 * The `--flag=value` / `--flag value` arguments of a static pod's first
 * container that runs the binary, as kubeadm writes them. A flag given twice
 * keeps its last value, as Go's flag package does.
 */
export function podFlags(pod: Pod, binary: string): Map<string, string> {
  const flags = new Map<string, string>()
  const containers = pod.spec?.containers ?? []
  const container =
    containers.find((c) => [...(c.command ?? []), ...(c.args ?? [])].some((a) => a.endsWith(binary))) ??
    containers[0]
  const argv = [...(container?.command ?? []), ...(container?.args ?? [])]
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    const m = /^--?([A-Za-z0-9-]+)(?:=(.*))?$/s.exec(a)
    if (!m) continue
    const name = m[1] as string
    if (m[2] !== undefined) {
      flags.set(name, m[2])
    } else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('-')) {
      flags.set(name, argv[i + 1] as string)
      i++
    } else {
      flags.set(name, 'true')
    }
  }
  return flags
}

export function podId(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'kube-system'}/pod/${pod.metadata.name}`
}

export function componentOf(pod: Pod): string | undefined {
  return pod.metadata.labels?.component
}

/** The annotation the kubelet puts on the API copy (mirror pod) of a static pod. */
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror'

/**
 * A mirror pod: the API's copy of a static pod a kubelet runs from its manifest
 * directory, with the kubelet's annotation and its Node as owner (the Node it
 * runs on). Only these
 * describe the control plane: anyone who may create pods in kube-system can
 * create an ordinary pod labelled component=etcd with any flags.
 */
export function isMirrorPod(pod: Pod): boolean {
  return (
    pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined &&
    (pod.metadata.ownerReferences ?? []).some(
      (o) => o.kind === 'Node' && (pod.spec?.nodeName === undefined || o.name === pod.spec.nodeName),
    )
  )
}

/** The control plane's mirror pods of the snapshot, and the labelled pods that are not mirror pods. */
export function splitMirrorPods(pods: Pod[]): { mirror: Pod[]; ignored: Pod[] } {
  return { mirror: pods.filter(isMirrorPod), ignored: pods.filter((p) => !isMirrorPod(p)) }
}

export function ignoredPodsNote(ignored: Pod[]): string | undefined {
  if (ignored.length === 0) return undefined
  return `ignored ${ignored.map(podId).join(', ')}: labelled as the control plane but not a mirror pod (no ${MIRROR_ANNOTATION} annotation and Node owner), so not a static pod of a control-plane node`
}
