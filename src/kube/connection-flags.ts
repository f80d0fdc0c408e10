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
  'as-uid': Flags.string({
    description: 'UID to impersonate for the operation.',
    helpGroup: 'CONNECTION',
  }),
  'as-user-extra': Flags.string({
    description:
      'User extras to impersonate for the operation, this flag can be repeated to specify multiple values for the same key.',
    multiple: true,
    helpGroup: 'CONNECTION',
  }),
  'proxy-url': Flags.string({
    description: 'If provided, this URL will be used to connect via proxy',
    helpGroup: 'CONNECTION',
  }),
  server: Flags.string({
    char: 's',
    description: 'The address and port of the Kubernetes API server',
    helpGroup: 'CONNECTION',
  }),
  'certificate-authority': Flags.string({
    description: 'Path to a cert file for the certificate authority',
    helpGroup: 'CONNECTION',
  }),
  'client-certificate': Flags.string({
    description: 'Path to a client certificate file for TLS',
    helpGroup: 'CONNECTION',
  }),
  'client-key': Flags.string({
    description: 'Path to a client key file for TLS',
    helpGroup: 'CONNECTION',
  }),
  'insecure-skip-tls-verify': Flags.boolean({
    description:
      "If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure",
    helpGroup: 'CONNECTION',
  }),
  'tls-server-name': Flags.string({
    description:
      'Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used',
    helpGroup: 'CONNECTION',
  }),
  token: Flags.string({
    description:
      'Bearer token for authentication to the API server. Accepted for parity with kubectl, with a warning: argv and shell history can be read; prefer a kubeconfig, an exec plugin or KUBECONFIG.',
    helpGroup: 'CONNECTION',
  }),
  v: Flags.integer({
    char: 'v',
    description:
      'Number for the log level verbosity: 6 logs each request with status and timing, 7 adds request headers, 8 response headers, to stderr (never a body; Authorization masked).',
    min: 0,
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
  'as-uid'?: string
  'as-user-extra'?: string[]
  'proxy-url'?: string
  server?: string
  'certificate-authority'?: string
  'client-certificate'?: string
  'client-key'?: string
  'insecure-skip-tls-verify'?: boolean
  'tls-server-name'?: string
  token?: string
  v?: number
  'request-timeout'?: string
}
