import { Flags } from '@oclif/core'

/**
 * The connection flags every kubectl user expects, with kubectl's names and
 * short forms. Shared by every command that talks to a cluster.
 */
export const connectionFlags = {
  kubeconfig: Flags.string({
    description: 'Path to the kubeconfig file to use for CLI requests.',
    helpGroup: 'CONNECTION',
  }),
  context: Flags.string({
    description: 'The name of the kubeconfig context to use.',
    helpGroup: 'CONNECTION',
  }),
  cluster: Flags.string({
    description: 'The name of the kubeconfig cluster to use.',
    helpGroup: 'CONNECTION',
  }),
  user: Flags.string({
    description: 'The name of the kubeconfig user to use.',
    helpGroup: 'CONNECTION',
  }),
  namespace: Flags.string({
    char: 'n',
    description: 'If present, the namespace scope for this CLI request.',
    helpGroup: 'CONNECTION',
  }),
  as: Flags.string({
    description:
      'Username to impersonate for the operation. User could be a regular user or a service account.',
    helpGroup: 'CONNECTION',
  }),
  'as-group': Flags.string({
    description: 'Group to impersonate for the operation. Repeat this flag to specify multiple groups.',
    multiple: true,
    helpGroup: 'CONNECTION',
  }),
  'request-timeout': Flags.string({
    description:
      'The length of time to wait before giving up on a single server request (e.g. 1s, 2m). Zero means no timeout.',
    default: '0',
    helpGroup: 'CONNECTION',
  }),
}

export interface ConnectionFlagValues {
  kubeconfig?: string
  context?: string
  cluster?: string
  user?: string
  namespace?: string
  as?: string
  'as-group'?: string[]
  'request-timeout'?: string
}
