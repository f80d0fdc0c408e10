/**
 * Every place a pod spec names a Secret: the one walk that `audit` (which Secrets
 * a Pod exposes, which reach an environment) and `rotate --restart` (which
 * workloads consume a Secret) share, so that no reader forgets a kind of
 * container or of reference. Pure; no value is ever involved.
 */

interface ContainerSpec {
  name?: string
  env?: { name?: string; valueFrom?: { secretKeyRef?: { name?: string; key?: string } } }[]
  envFrom?: { secretRef?: { name?: string }; prefix?: string }[]
}

/** The fields of a core/v1 PodSpec that can name a Secret. */
export interface SecretReferringPodSpec {
  initContainers?: ContainerSpec[]
  containers?: ContainerSpec[]
  ephemeralContainers?: ContainerSpec[]
  volumes?: {
    secret?: { secretName?: string }
    projected?: { sources?: { secret?: { name?: string } }[] }
  }[]
  imagePullSecrets?: { name?: string }[]
}

/** One reference; `secret` is undefined only where the spec leaves the name out. */
export type PodSecretRef =
  | { via: 'env'; secret?: string; container: string; variable: string; key?: string }
  | { via: 'envFrom'; secret?: string; container: string; prefix?: string }
  | { via: 'volume'; secret?: string }
  | { via: 'imagePullSecrets'; secret?: string }

/** In the order a reader of the spec meets them: init, regular then ephemeral containers, volumes, pull secrets. */
export function podSecretRefs(spec: SecretReferringPodSpec | undefined): PodSecretRef[] {
  if (!spec) return []
  const refs: PodSecretRef[] = []
  const containers = [
    ...(spec.initContainers ?? []),
    ...(spec.containers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ]
  for (const c of containers) {
    const container = c.name ?? ''
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef
      if (ref) refs.push({ via: 'env', secret: ref.name, container, variable: e.name ?? '', key: ref.key })
    }
    for (const e of c.envFrom ?? []) {
      if (e.secretRef) refs.push({ via: 'envFrom', secret: e.secretRef.name, container, prefix: e.prefix })
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.secret) refs.push({ via: 'volume', secret: v.secret.secretName })
    for (const source of v.projected?.sources ?? []) {
      if (source.secret) refs.push({ via: 'volume', secret: source.secret.name })
    }
  }
  for (const p of spec.imagePullSecrets ?? []) refs.push({ via: 'imagePullSecrets', secret: p.name })
  return refs
}
