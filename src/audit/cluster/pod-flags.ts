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
