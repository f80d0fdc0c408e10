import { UsageError } from '../errors/cli-error.js'
import { quotePath } from '../errors/user-text.js'
import { checkSecretNameArg } from '../expiry/cli-args.js'
import {
  type DryRun,
  type ExpiryFlagValues,
  type ExpiryRequest,
  type OwnerSpec,
  parseExpiry,
  parseOwnedBy,
} from '../expiry/create-hook.js'
import type { ConnectionFlagValues } from '../kube/connection-flags.js'
import type { ObjectFormat } from '../output/print-object.js'
import { labelValueProblem, qualifiedNameProblem } from '../secret/names.js'
import { DEFAULT_DOCKER_SERVER, type SecretKind } from '../secret/typed.js'
import { parseSourceFlags, type SourceFlagValues, type SourceSpec } from '../sources/source-spec.js'

/** The parsed flags of `create`, as oclif hands them over. */
export interface CreateFlagValues extends SourceFlagValues, ExpiryFlagValues, ConnectionFlagValues {
  'from-literal'?: string[]
  'docker-password'?: string
  'keep-trailing-newline'?: boolean
  confirm?: boolean
  type?: string
  tls?: boolean
  cert?: string
  key?: string
  'docker-registry'?: boolean
  'docker-server'?: string
  'docker-username'?: string
  'docker-email'?: string
  'basic-auth'?: boolean
  'ssh-auth'?: boolean
  label?: string[]
  annotation?: string[]
  immutable?: boolean
  'dry-run'?: string
  output?: string
  'field-manager'?: string
  'append-hash'?: boolean
  overwrite?: boolean
}

/** Everything `create` needs, complete and validated, before any value is read. */
export interface CreateOptions {
  name: string
  sources: SourceSpec[]
  kind: SecretKind
  labels: Record<string, string>
  annotations: Record<string, string>
  immutable: boolean
  dryRun: DryRun
  output?: ObjectFormat
  fieldManager: string
  appendHash: boolean
  overwrite: boolean
  keepTrailingNewline: boolean
  confirm: boolean
  /** Parsed only: the instant is fixed with the API server's clock, right before the Secret is sent. */
  expiry?: ExpiryRequest
  /** --owned-by: the consumer whose deletion deletes the Secret; its uid is read from the server. */
  ownedBy?: OwnerSpec
  connection: ConnectionFlagValues
}

const REFUSED_LITERAL =
  'a value on the command line lands in your shell history and, while the command runs, in /proc/PID/cmdline where every user of this machine can read it'
const SAFE_SOURCES =
  '--from-prompt=KEY (at a terminal), --from-stdin=KEY (in a pipe), --from-env=KEY=VAR or --from-keychain=KEY=...'

/**
 * kubectl's Complete step: turns flags into options, filling defaults. It
 * throws UsageError for anything malformed; it reads no value.
 */
export function completeCreateOptions(name: string, flags: CreateFlagValues): CreateOptions {
  refuseLiteral(flags)
  if (flags['docker-password'] !== undefined) {
    throw new UsageError(`--docker-password is refused on purpose: ${REFUSED_LITERAL}`, {
      hint: `give the registry password from a source under the key "password", e.g. --from-prompt=password. If that was a real password, rotate it`,
    })
  }
  const sources = parseSourceFlags(flags)
  const kind = secretKind(flags, sources)
  const dryRun = (flags['dry-run'] ?? 'none') as DryRun
  return {
    name,
    sources,
    kind,
    labels: parsePairs(flags.label ?? [], '--label'),
    annotations: parsePairs(flags.annotation ?? [], '--annotation'),
    immutable: flags.immutable ?? false,
    dryRun,
    output: flags.output as ObjectFormat | undefined,
    fieldManager: flags['field-manager'] ?? 'kubectl-safe-secret',
    appendHash: flags['append-hash'] ?? false,
    overwrite: flags.overwrite ?? false,
    keepTrailingNewline: flags['keep-trailing-newline'] ?? false,
    confirm: flags.confirm ?? false,
    expiry: parseExpiry(flags),
    ownedBy: flags['owned-by'] === undefined ? undefined : parseOwnedBy(flags['owned-by']),
    connection: flags,
  }
}

/** --from-literal puts the value in argv: refused, by `create` and `rotate` alike. */
export function refuseLiteral(flags: { 'from-literal'?: string[] }): void {
  if (flags['from-literal']?.length) {
    throw new UsageError(`--from-literal is refused on purpose: ${REFUSED_LITERAL}`, {
      hint: `use ${SAFE_SOURCES}. If that was a real secret, treat it as exposed: rotate it, and clear it from your shell history (kubectl safe-secret audit local --scrub-history)`,
    })
  }
}

function secretKind(flags: CreateFlagValues, sources: SourceSpec[]): SecretKind {
  const chosen = (['tls', 'docker-registry', 'basic-auth', 'ssh-auth'] as const).filter((k) => flags[k])
  if (flags.type !== undefined) chosen.push('type' as never)
  if (chosen.length > 1) {
    throw new UsageError(`choose one Secret type: --${chosen.join(', --')} cannot be combined`)
  }
  if (!flags.tls && (flags.cert || flags.key)) throw new UsageError('--cert and --key go with --tls')
  const dockerFlags = (['docker-server', 'docker-username', 'docker-email'] as const).filter(
    (f) => flags[f] !== undefined,
  )
  if (!flags['docker-registry'] && dockerFlags.length > 0) {
    throw new UsageError(`--${dockerFlags.join(', --')} go with --docker-registry`)
  }
  if (flags.tls) {
    if (flags.cert) sources.push({ kind: 'cert-file', key: 'tls.crt', path: flags.cert })
    if (flags.key) sources.push({ kind: 'cert-file', key: 'tls.key', path: flags.key })
    return { kind: 'tls' }
  }
  if (flags['docker-registry']) {
    if (!flags['docker-username']) throw new UsageError('--docker-registry needs --docker-username')
    return {
      kind: 'docker-registry',
      server: flags['docker-server'] ?? DEFAULT_DOCKER_SERVER,
      username: flags['docker-username'],
      email: flags['docker-email'],
    }
  }
  if (flags['basic-auth']) return { kind: 'basic-auth' }
  if (flags['ssh-auth']) return { kind: 'ssh-auth' }
  return { kind: 'generic', type: flags.type ?? 'Opaque', explicitType: flags.type !== undefined }
}

/** `k=v` pairs of --label / --annotation. Labels are checked as the API checks them. */
function parsePairs(pairs: string[], flag: '--label' | '--annotation'): Record<string, string> {
  // A Map, so that keys such as "constructor" or "__proto__" are plain keys.
  const out = new Map<string, string>()
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new UsageError(`${flag} takes key=value (what was given is not shown)`)
    const key = pair.slice(0, eq)
    const value = pair.slice(eq + 1)
    const keyProblem = qualifiedNameProblem(key)
    // A key may have a '/' prefix: shown when made of plain path characters.
    if (keyProblem) throw new UsageError(`${flag} key ${quotePath(key, true)} is invalid: ${keyProblem}`)
    if (flag === '--label') {
      const valueProblem = labelValueProblem(value)
      if (valueProblem) throw new UsageError(`--label ${key}: ${valueProblem}`)
    }
    if (out.has(key)) throw new UsageError(`${flag} ${key} is given twice`)
    out.set(key, value)
  }
  return Object.fromEntries(out)
}

/**
 * kubectl's Validate step: the combinations that cannot work, refused before
 * any value is read or any request is sent.
 */
export function validateCreateOptions(opts: CreateOptions): void {
  checkSecretNameArg(opts.name)
  if (opts.sources.length === 0) {
    throw new UsageError('a value must come from somewhere: no source was given', {
      hint: `use ${SAFE_SOURCES}, --from-file or --from-env-file`,
    })
  }
  if (opts.overwrite && opts.expiry) {
    throw new UsageError(
      '--overwrite replaces the data of an existing Secret and keeps its expiry: it cannot take --ttl or --expires-at',
      {
        hint: "change the deadline with 'kubectl safe-secret extend NAME --ttl ...'",
      },
    )
  }
  if (opts.overwrite && opts.ownedBy) {
    throw new UsageError(
      '--owned-by binds a new Secret to its consumer: it cannot be combined with --overwrite, which keeps the owners the Secret has',
    )
  }
  if (opts.overwrite && opts.appendHash) {
    throw new UsageError(
      '--append-hash names a new Secret after its content: it cannot be combined with --overwrite',
    )
  }
}
