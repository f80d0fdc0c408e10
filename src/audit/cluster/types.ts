/**
 * The slices of Kubernetes objects the cluster checks read. Secrets are read as
 * metadata only (PartialObjectMetadata): the audit never fetches a value.
 */

export interface ObjectMeta {
  name: string
  namespace?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  creationTimestamp?: string
  ownerReferences?: { kind: string; name: string; controller?: boolean }[]
}

export interface SecretMeta {
  metadata: ObjectMeta
}

export interface EnvVar {
  name: string
  valueFrom?: { secretKeyRef?: { name?: string; key?: string } }
}

export interface Container {
  name: string
  command?: string[]
  args?: string[]
  env?: EnvVar[]
  envFrom?: { secretRef?: { name?: string }; prefix?: string }[]
}

export interface Volume {
  name: string
  secret?: { secretName?: string }
  projected?: { sources?: { secret?: { name?: string } }[] }
}

export interface PodSpec {
  nodeName?: string
  volumes?: Volume[]
  containers?: Container[]
  initContainers?: Container[]
  ephemeralContainers?: Container[]
  imagePullSecrets?: { name?: string }[]
}

export interface Pod {
  metadata: ObjectMeta
  spec?: PodSpec
}

/**
 * The workload kinds that make Pods from a template, and where to list them
 * (`group` as collectionPath takes it: '' for the core API, else group/version).
 */
export const WORKLOADS: readonly { kind: string; group: string; resource: string }[] = [
  { kind: 'Deployment', group: 'apps/v1', resource: 'deployments' },
  { kind: 'StatefulSet', group: 'apps/v1', resource: 'statefulsets' },
  { kind: 'DaemonSet', group: 'apps/v1', resource: 'daemonsets' },
  { kind: 'ReplicaSet', group: 'apps/v1', resource: 'replicasets' },
  { kind: 'Job', group: 'batch/v1', resource: 'jobs' },
  { kind: 'CronJob', group: 'batch/v1', resource: 'cronjobs' },
  { kind: 'ReplicationController', group: '', resource: 'replicationcontrollers' },
]

/** A workload: its pod template sits at spec.template (or spec.jobTemplate.spec.template for CronJobs). */
export interface Workload {
  kind: string
  metadata: ObjectMeta
  spec?: {
    template?: { spec?: PodSpec }
    jobTemplate?: { spec?: { template?: { spec?: PodSpec } } }
  }
}

export interface PolicyRule {
  apiGroups?: string[]
  resources?: string[]
  verbs: string[]
  resourceNames?: string[]
  nonResourceURLs?: string[]
}

export interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: { key: string; operator: string; values?: string[] }[]
}

export interface Role {
  metadata: ObjectMeta
  rules?: PolicyRule[] | null
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] }
}

export interface Subject {
  kind: string
  name: string
  namespace?: string
}

export interface RoleBinding {
  metadata: ObjectMeta
  roleRef: { kind: string; name: string }
  subjects?: Subject[] | null
}

/** A list the audit tried to read: its items, or why it could not. */
export type Fetched<T> = { ok: true; items: T[] } | { ok: false; reason: string }

export interface ClusterSnapshot {
  server: string
  /** The namespace the namespaced checks cover, or undefined for all namespaces (-A). */
  namespace?: string
  now: Date
  secrets: Fetched<SecretMeta>
  pods: Fetched<Pod>
  workloads: Fetched<Workload>
  /** kube-system pods labelled component=kube-apiserver or component=etcd (kubeadm static pods). */
  controlPlanePods: Fetched<Pod>
  clusterRoles: Fetched<Role>
  clusterRoleBindings: Fetched<RoleBinding>
  roles: Fetched<Role>
  roleBindings: Fetched<RoleBinding>
  /** The apiserver's /metrics text. */
  metrics: { ok: true; text: string } | { ok: false; reason: string }
  /**
   * Set when a read got no answer or the credentials were refused: then the
   * unknowns say nothing about the cluster, and the audit exits 1.
   */
  unreachable?: string
}
