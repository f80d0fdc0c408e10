/**
 * `rotate`'s Options, Validate and Run, as `create`'s: the Secret is read
 * (without its data) and checked before any value is read, the values come
 * from the same sources with the same rules, and the workloads are restarted
 * only once the new values are written.
 */

import { type CreateDeps, readValues } from '../create/run-create.js'
import { CliError, UsageError } from '../errors/cli-error.js'
import { checkSecretNameArg, dryRunSuffix } from '../expiry/cli-args.js'
import type { ConnectionFlagValues } from '../kube/connection-flags.js'
import { type SecretEntry, zeroEntries } from '../secret/manifest.js'
import type { SourceSpec } from '../sources/source-spec.js'
import { findConsumers, restartWorkload, type WorkloadRef, workloadName } from './restart.js'
import { checkRotation, foreignController, getSecretHead, patchSecretData } from './rotate.js'

export interface RotateOptions {
  name: string
  sources: SourceSpec[]
  add: boolean
  force: boolean
  restart: boolean
  dryRun: 'none' | 'client' | 'server'
  keepTrailingNewline: boolean
  confirm: boolean
  fieldManager: string
  connection: ConnectionFlagValues
}

export function validateRotateOptions(opts: RotateOptions): void {
  checkSecretNameArg(opts.name)
  if (opts.sources.length === 0) {
    throw new UsageError('rotate needs the new values: no source was given', {
      hint: 'use --from-prompt=KEY, --from-stdin=KEY, --from-env=KEY=VAR, --from-keychain=KEY=..., --from-file or --from-env-file',
    })
  }
}

export async function runRotate(opts: RotateOptions, deps: CreateDeps): Promise<void> {
  validateRotateOptions(opts)
  const client = await deps.connect(opts.connection)
  const namespace = client.namespace
  const { name } = opts

  // Everything that can refuse, refuses before anyone types a value.
  const head = await getSecretHead(client, namespace, name)
  if (head.metadata.deletionTimestamp) throw new CliError(`secret "${name}" is being deleted`)
  const foreign = foreignController(head)
  if (foreign && !opts.force) {
    throw new CliError(`secret "${name}" is not rotated: ${foreign}`, {
      hint: 'rotate it anyway with --force',
    })
  }
  // Listed before the write too, so that a missing right to list workloads fails before any change.
  const consumers = opts.restart ? await findConsumers(client, namespace, name) : []

  const entries: SecretEntry[] = await readValues(opts, deps)
  const suffix = dryRunSuffix(opts.dryRun === 'none' ? undefined : opts.dryRun)
  try {
    for (const warning of checkRotation(head.type, entries, await client.serverNow())) {
      deps.io.stderr.write(`Warning: ${warning}\n`)
    }
    // A client dry run writes nothing; a server dry run lets the server check every key.
    if (opts.dryRun !== 'client') {
      await patchSecretData(client, namespace, name, head, entries, {
        add: opts.add,
        dryRun: opts.dryRun === 'server',
        fieldManager: opts.fieldManager,
      })
    }
    const keys = entries.map((e) => e.key).sort()
    deps.io.stdout.write(`secret/${name} rotated${suffix}: ${keys.join(', ')}\n`)
  } finally {
    zeroEntries(entries)
  }
  if (opts.restart) await restartAll(client, namespace, consumers, opts.dryRun, suffix, deps.io)
}

async function restartAll(
  client: Awaited<ReturnType<CreateDeps['connect']>>,
  namespace: string,
  consumers: WorkloadRef[],
  dryRun: RotateOptions['dryRun'],
  suffix: string,
  io: CreateDeps['io'],
): Promise<void> {
  if (consumers.length === 0) {
    io.stderr.write(`no Deployment, StatefulSet or DaemonSet in namespace "${namespace}" uses this Secret\n`)
    return
  }
  // The restart time as kubectl records it, on the API server's clock.
  const at = await client.serverNow()
  const skipped: string[] = []
  for (const w of consumers) {
    if (w.paused) {
      skipped.push(workloadName(w))
      continue
    }
    if (dryRun !== 'client') await restartWorkload(client, namespace, w, at, dryRun === 'server')
    io.stdout.write(`${workloadName(w)} restarted${suffix}\n`)
  }
  for (const s of skipped) {
    io.stderr.write(`${s} not restarted: it is paused (resume it with 'kubectl rollout resume ${s}')\n`)
  }
}
