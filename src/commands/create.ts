import { Args, Flags } from '@oclif/core'
import { SafeSecretCommand } from '../cli/base-command.js'
import { completeCreateOptions } from '../create/create-options.js'
import { processDeps } from '../create/process-deps.js'
import { runCreate } from '../create/run-create.js'
import { expiryFlags } from '../expiry/create-hook.js'
import { connectionFlags } from '../kube/connection-flags.js'
import { sourceFlags } from '../sources/flags.js'

const TYPES = 'SECRET TYPES'

export default class Create extends SafeSecretCommand {
  static override summary =
    'Create a Secret from a hidden prompt, stdin, files, the environment or the keychain.'
  static override description =
    `Replaces 'kubectl create secret generic|tls|docker-registry' for people who must never put a value on the command line. Values never appear in argv, are never written to a file, and are redacted in every output.

Each source flag may be repeated and combined with the others; stdin can feed one source. --from-literal is refused on purpose.`

  static override examples = [
    {
      description: 'An operator at a terminal, with an 8 hour lifetime enforced by the cluster:',
      command: 'kubectl safe-secret create db-pass --from-prompt=password --ttl 8h',
    },
    {
      description: 'A CI job piping a token from its own secret store:',
      command:
        'vault kv get -field=token ci/deploy | kubectl safe-secret create deploy-token --from-stdin=token --ttl 30m',
    },
    {
      description: 'Several keys at once from stdin, as dotenv:',
      command: 'sops -d app.env | kubectl safe-secret create app-env --stdin-format=env -n payments',
    },
    {
      description: 'A TLS Secret; the key must match the certificate:',
      command: 'kubectl safe-secret create site-tls --tls --cert=site.crt --key=site.key',
    },
    {
      description: 'A registry pull Secret, password typed at the prompt:',
      command:
        'kubectl safe-secret create regcred --docker-registry --docker-server=ghcr.io --docker-username=bot --from-prompt=password',
    },
  ]

  static override args = {
    name: Args.string({ description: 'Name of the Secret (a DNS subdomain).', required: true }),
  }

  static override flags = {
    ...sourceFlags,
    'from-literal': Flags.string({ hidden: true, multiple: true }),
    'docker-password': Flags.string({ hidden: true }),

    type: Flags.string({
      description: 'Type of a generic Secret.',
      default: undefined,
      helpValue: 'Opaque',
      helpGroup: TYPES,
    }),
    tls: Flags.boolean({
      description: 'A kubernetes.io/tls Secret (keys tls.crt and tls.key).',
      helpGroup: TYPES,
    }),
    cert: Flags.string({
      description: 'With --tls: path to the PEM certificate (tls.crt).',
      helpGroup: TYPES,
    }),
    key: Flags.string({
      description: 'With --tls: path to the PEM private key (tls.key).',
      helpGroup: TYPES,
    }),
    'docker-registry': Flags.boolean({
      description:
        'A kubernetes.io/dockerconfigjson Secret; the password comes from a source under the key "password".',
      helpGroup: TYPES,
    }),
    'docker-server': Flags.string({
      description: 'With --docker-registry: server location.',
      helpValue: 'https://index.docker.io/v1/',
      helpGroup: TYPES,
    }),
    'docker-username': Flags.string({ description: 'With --docker-registry: username.', helpGroup: TYPES }),
    'docker-email': Flags.string({ description: 'With --docker-registry: email.', helpGroup: TYPES }),
    'basic-auth': Flags.boolean({
      description: 'A kubernetes.io/basic-auth Secret (keys username and/or password).',
      helpGroup: TYPES,
    }),
    'ssh-auth': Flags.boolean({
      description: 'A kubernetes.io/ssh-auth Secret (key ssh-privatekey).',
      helpGroup: TYPES,
    }),

    label: Flags.string({ char: 'l', description: 'Label key=value. Repeatable.', multiple: true }),
    annotation: Flags.string({ description: 'Annotation key=value. Repeatable.', multiple: true }),
    immutable: Flags.boolean({ description: 'Make the Secret immutable.' }),
    'dry-run': Flags.string({
      description:
        'Must be none, client or server. client: only print the object; server: submit without persisting.',
      options: ['none', 'client', 'server'],
      default: 'none',
    }),
    output: Flags.string({
      char: 'o',
      description: 'Output format. Values are always redacted.',
      options: ['name', 'json', 'yaml'],
    }),
    'field-manager': Flags.string({
      description: 'Name of the manager used to track field ownership.',
      default: 'kubectl-safe-secret',
    }),
    'append-hash': Flags.boolean({
      description: "Append a hash of the Secret to its name, as kubectl's --append-hash.",
    }),
    overwrite: Flags.boolean({
      description: 'Replace the data of an existing Secret, guarded by its resourceVersion.',
    }),
    ...expiryFlags,
    ...connectionFlags,
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Create)
    const options = completeCreateOptions(args.name, flags)
    await runCreate(options, processDeps())
  }
}
