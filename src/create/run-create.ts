import { faultEnabled, pauseForTest } from '../cli/test-faults.js'
import { CliError, isApiStatus, UsageError } from '../errors/cli-error.js'
import {
  type ExpiryPlan,
  expiryMetadata,
  type OwnerReference,
  resolveDeadline,
  resolveExpiry,
  resolveOwner,
  withExpiryTimer,
} from '../expiry/create-hook.js'
import { withApiHint } from '../kube/api-hints.js'
import type { KubeClient } from '../kube/client.js'
import type { ConnectionFlagValues } from '../kube/connection-flags.js'
import { formatObject } from '../output/print-object.js'
import { redactSecret } from '../output/redact.js'
import { rememberValue } from '../output/redaction-point.js'
import { buildSecret, checkEntries } from '../secret/build-secret.js'
import { type SecretEntry, type SecretManifest, zeroEntries } from '../secret/manifest.js'
import { DOCKER_PASSWORD_KEY, dockerAuthValue, shapeSecret } from '../secret/typed.js'
import type { IOStreams } from '../sources/io-streams.js'
import type { Prompter } from '../sources/prompter.js'
import { checkTerminalUse, readSources } from '../sources/read-sources.js'
import { formatRfc3339Utc } from '../time/instant.js'
import { type CreateOptions, validateCreateOptions } from './create-options.js'

/** What `create` talks to, injected so tests can drive it without globals. */
export interface CreateDeps {
  io: IOStreams
  prompter: Prompter
  env: NodeJS.ProcessEnv
  /** Resolves the connection flags (kubeconfig only, no request yet). */
  connect: (flags: ConnectionFlagValues) => Promise<KubeClient>
  readKeychain: (ref: { service: string; account: string }) => Promise<Buffer>
  now: () => Date
}

/**
 * kubectl's Run step for `create`: validate, connect, read the values, check
 * them for the type, build the Secret, send it (under the expiry timer when
 * asked), and print the outcome with every value redacted. Values live in
 * Buffers that are zeroed whatever happens.
 */
export async function runCreate(opts: CreateOptions, deps: CreateDeps): Promise<void> {
  validateCreateOptions(opts)
  checkTerminalUse(opts.sources, deps.io)
  // Resolve the kubeconfig before asking for any value: a wrong --context fails
  // before anyone types a password.
  const client = await connectFor(opts, deps)
  const namespace = client?.namespace ?? opts.connection.namespace ?? 'default'
  // An --expires-at already past is refused before anyone types a value (checked again when sent).
  if (opts.expiry?.deadline.kind === 'at' && client && opts.dryRun !== 'client') {
    resolveDeadline(opts.expiry.deadline, await client.serverNow())
  }
  // The owner must exist, here, now: its uid comes from the server, before any value is read.
  const owner = opts.ownedBy && (await resolveOwner(requireClient(client), namespace, opts.ownedBy))

  const entries: SecretEntry[] = await readValues(opts, deps)
  let shapedEntries: SecretEntry[] = entries
  try {
    checkEntries(entries)
    rememberDerivedValues(opts, entries)
    const shaped = shapeSecret(opts.kind, entries, deps.now())
    shapedEntries = shaped.entries
    // A typed Secret's values are built from the ones read (the whole .dockerconfigjson);
    // the ones read as they are were learned by readSources already.
    if (shapedEntries !== entries) for (const e of shapedEntries) rememberValue(e.value)
    for (const warning of shaped.warnings) deps.io.stderr.write(`Warning: ${warning}\n`)
    // The expiry counts from the API server's now, taken after the values were read (a
    // prompt may take minutes). A client dry run sends nothing, so it has only this machine's clock.
    const expiry = opts.expiry && resolveExpiry(opts.expiry, await nowFor(opts, client, deps))
    const meta = expiryMetadata(expiry)
    const spec = {
      name: opts.name,
      namespace,
      type: shaped.type,
      typeForHash: shaped.typeForHash,
      entries: shaped.entries,
      labels: { ...opts.labels, ...meta.labels },
      annotations: { ...opts.annotations, ...meta.annotations },
      immutable: opts.immutable,
      appendHash: opts.appendHash,
    }
    // Built before anything is sent, so that every local check has passed before the timer Job exists.
    const manifest = buildSecret(spec)
    const { object, action } = await send(opts, client, manifest, expiry, owner)
    await printResult(opts, deps.io, object, action, expiry)
  } finally {
    zeroEntries(entries)
    zeroEntries(shapedEntries)
  }
}

/**
 * The values read are known to the redaction point already (readSources);
 * a docker-registry Secret also carries base64 of `USERNAME:PASSWORD`.
 */
function rememberDerivedValues(opts: CreateOptions, entries: SecretEntry[]): void {
  const password = entries.find((e) => e.key === DOCKER_PASSWORD_KEY)
  if (opts.kind.kind !== 'docker-registry' || !password) return
  const auth = dockerAuthValue(opts.kind.username, password.value)
  rememberValue(auth)
  auth.fill(0)
}

/** Reads every source into entries (Buffers the caller zeroes), for `create` and `rotate`. */
export function readValues(
  opts: Pick<CreateOptions, 'sources' | 'keepTrailingNewline' | 'confirm'>,
  deps: CreateDeps,
): Promise<SecretEntry[]> {
  return readSources(opts.sources, {
    io: deps.io,
    prompter: deps.prompter,
    env: deps.env,
    keepTrailingNewline: opts.keepTrailingNewline,
    confirm: opts.confirm,
    readKeychain: deps.readKeychain,
  })
}

function requireClient(client: KubeClient | undefined): KubeClient {
  if (!client) throw new CliError('--owned-by reads the owner from the cluster, which could not be reached')
  return client
}

async function connectFor(opts: CreateOptions, deps: CreateDeps): Promise<KubeClient | undefined> {
  try {
    return await deps.connect(opts.connection)
  } catch (err) {
    // kubectl's client dry-run works without a cluster: only the namespace is needed.
    // A malformed flag (-n) is still an error.
    if (opts.dryRun === 'client' && !(err instanceof UsageError)) return undefined
    throw err
  }
}

/** The time expiry counts from: the API server's, unless nothing is sent. */
async function nowFor(opts: CreateOptions, client: KubeClient | undefined, deps: CreateDeps): Promise<Date> {
  return client && opts.dryRun !== 'client' ? client.serverNow() : deps.now()
}

type Action = 'created' | 'replaced'

async function send(
  opts: CreateOptions,
  client: KubeClient | undefined,
  manifest: SecretManifest,
  expiry: ExpiryPlan | undefined,
  owner: OwnerReference | undefined,
): Promise<{ object: SecretManifest; action: Action }> {
  // With a timer, the consumer owns the timer and the timer the Secret; without one, the consumer owns the Secret.
  const withOwners = (refs: OwnerReference[]): SecretManifest => {
    const owners = refs.length > 0 ? refs : owner ? [owner] : []
    // The ownerReference is the only difference: the data is not encoded again.
    return owners.length > 0
      ? { ...manifest, metadata: { ...manifest.metadata, ownerReferences: owners } }
      : manifest
  }
  if (opts.dryRun === 'client' || !client) return { object: withOwners([]), action: 'created' }
  const namespace = manifest.metadata.namespace
  const query = { fieldManager: opts.fieldManager, dryRun: opts.dryRun === 'server' ? 'All' : undefined }
  if (opts.overwrite) {
    const replaced = await replaceExisting(client, manifest, query)
    if (replaced) return { object: replaced, action: 'replaced' }
  }
  try {
    const object = await withExpiryTimer(
      client,
      namespace,
      manifest.metadata.name,
      expiry,
      opts.dryRun,
      (refs) =>
        client.request<SecretManifest>({
          method: 'POST',
          path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`,
          query,
          body: withOwners(refs),
          describe: { verb: 'create', resource: 'secrets', namespace },
        }),
      owner ? [owner] : [],
    )
    return { object, action: 'created' }
  } catch (err) {
    throw withApiHint(err, {
      alreadyExists: `use --overwrite to replace the data of secret "${manifest.metadata.name}", or choose another name`,
    })
  }
}

/**
 * --overwrite: replaces the data of the Secret if it exists, keeping its
 * metadata (and so its expiry timer), guarded by the resourceVersion we read.
 * Returns undefined when there is nothing to replace.
 */
async function replaceExisting(
  client: KubeClient,
  manifest: SecretManifest,
  query: Record<string, string | undefined>,
): Promise<SecretManifest | undefined> {
  const { name, namespace } = manifest.metadata
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`
  let existing: SecretManifest & { metadata: { managedFields?: unknown } }
  try {
    existing = await client.request({
      method: 'GET',
      path,
      describe: { verb: 'get', resource: 'secrets', namespace },
    })
  } catch (err) {
    if (isApiStatus(err, 404)) return undefined
    throw withApiHint(err)
  }
  if (faultEnabled('before-replace')) await pauseForTest('before-replace', name)
  if (existing.immutable) {
    throw new UsageError(`secret "${name}" is immutable: its data cannot be replaced`, {
      hint: 'delete it and create it again',
    })
  }
  if ((existing.type ?? 'Opaque') !== manifest.type) {
    throw new UsageError(
      `secret "${name}" is of type ${existing.type}, not ${manifest.type}: a Secret's type cannot change`,
    )
  }
  const { managedFields: _managedFields, ...metadata } = existing.metadata
  const replacement: SecretManifest = {
    ...existing,
    metadata: {
      ...metadata,
      labels: { ...existing.metadata.labels, ...manifest.metadata.labels },
      annotations: { ...existing.metadata.annotations, ...manifest.metadata.annotations },
    },
    data: manifest.data,
  }
  if (Object.keys(replacement.metadata.annotations ?? {}).length === 0)
    delete replacement.metadata.annotations
  try {
    return await client.request<SecretManifest>({
      method: 'PUT',
      path,
      query,
      body: replacement,
      describe: { verb: 'update', resource: 'secrets', namespace },
    })
  } catch (err) {
    if (isApiStatus(err, 409)) {
      throw new CliError(`secret "${name}" changed while it was being replaced; nothing was written`, {
        hint: 'run the command again',
      })
    }
    throw withApiHint(err)
  }
}

async function printResult(
  opts: CreateOptions,
  io: IOStreams,
  object: SecretManifest,
  action: Action,
  expiry: ExpiryPlan | undefined,
): Promise<void> {
  if (opts.output) {
    io.stdout.write(await formatObject(redactSecret(object), opts.output))
    return
  }
  const suffix = opts.dryRun === 'client' ? ' (dry run)' : opts.dryRun === 'server' ? ' (server dry run)' : ''
  const expires = expiry ? `, expires at ${formatRfc3339Utc(expiry.expiresAt)}` : ''
  io.stdout.write(`secret/${object.metadata.name} ${action}${suffix}${expires}\n`)
}
