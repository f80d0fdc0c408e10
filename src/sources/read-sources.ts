import { timingSafeEqual } from 'node:crypto'
import { readdirSync, readFileSync, type Stats, statSync } from 'node:fs'
import path from 'node:path'
import { UsageError } from '../errors/cli-error.js'
import { quotePath } from '../errors/user-text.js'
import { describeEntry } from '../keychain/errors.js'
import { rememberValue } from '../output/redaction-point.js'
import type { SecretEntry } from '../secret/manifest.js'
import { parseEnvFile } from './env-file.js'
import { canPrompt, type IOStreams, readStdin, trimOneTrailingNewline } from './io-streams.js'
import type { Prompter } from './prompter.js'
import { ENV_NAME_HINT, type SourceSpec, usesPrompt, usesStdin } from './source-spec.js'
import { parseStdinFormat } from './stdin-formats.js'

export interface SourceContext {
  io: IOStreams
  prompter: Prompter
  /** The process environment. A variable read by --from-env is removed from it afterwards. */
  env: NodeJS.ProcessEnv
  keepTrailingNewline: boolean
  confirm: boolean
  readKeychain: (ref: { service: string; account: string }) => Promise<Buffer>
}

/**
 * Checks what can be checked about the terminal before anything is read:
 * a prompt needs a terminal, stdin as a source must not be one.
 */
export function checkTerminalUse(specs: SourceSpec[], io: IOStreams): void {
  if (usesPrompt(specs) && usesStdin(specs)) {
    throw new UsageError(
      '--from-prompt and --from-stdin both need stdin: a prompt reads the terminal, --from-stdin reads a pipe',
      {
        hint: 'pipe every value in one go with --stdin-format=env|json, or use --from-env / --from-keychain for the others',
      },
    )
  }
  if (usesPrompt(specs) && !canPrompt(io)) {
    throw new UsageError('--from-prompt needs a terminal, but stdin is not a terminal', {
      hint: 'in a pipeline, pass the value with --from-stdin=KEY (or --from-env, --from-keychain)',
    })
  }
  if (usesStdin(specs) && io.stdin.isTTY) {
    throw new UsageError('--from-stdin reads piped input, but stdin is a terminal', {
      hint: 'to type a value without echo, use --from-prompt=KEY',
    })
  }
}

/**
 * Reads every source into entries, cheapest and least interactive first
 * (files, environment, keychain, stdin) and prompts last, so that a typo in a
 * path fails before anyone types a password. Values stay in Buffers, and each
 * is handed to the redaction point as soon as it is read.
 */
export async function readSources(specs: SourceSpec[], ctx: SourceContext): Promise<SecretEntry[]> {
  checkTerminalUse(specs, ctx.io)
  const order: SourceSpec['kind'][] = [
    'file',
    'cert-file',
    'env-file',
    'env',
    'keychain',
    'stdin',
    'stdin-format',
    'prompt',
  ]
  const sorted = [...specs].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))
  const entries: SecretEntry[] = []
  try {
    for (const spec of sorted) {
      const read = await readOne(spec, ctx)
      // Known to the redaction point before anything else can print them.
      for (const e of read) rememberValue(e.value)
      entries.push(...read)
    }
  } catch (err) {
    for (const e of entries) e.value.fill(0)
    throw err
  }
  return entries
}

async function readOne(spec: SourceSpec, ctx: SourceContext): Promise<SecretEntry[]> {
  switch (spec.kind) {
    case 'file':
      return readFileSource(spec.path, spec.key)
    case 'cert-file':
      return [
        {
          key: spec.key,
          value: readRegularFile(spec.path, spec.key === 'tls.crt' ? '--cert' : '--key'),
          origin: `file ${quotePath(spec.path)}`,
        },
      ]
    case 'env-file':
      return readEnvFileSource(spec.path, ctx.env)
    case 'env':
      return [
        {
          key: spec.key,
          value: readEnvVariable(spec.key, spec.variable, ctx.env),
          origin: `environment variable ${spec.variable}`,
        },
      ]
    case 'keychain':
      return [
        {
          key: spec.key,
          value: await ctx.readKeychain({ service: spec.service, account: spec.account }),
          origin: `keychain entry ${describeEntry(spec.service, spec.account)}`,
        },
      ]
    case 'stdin': {
      const raw = await readStdin(ctx.io, `--from-stdin=${spec.key}`)
      const value = ctx.keepTrailingNewline ? raw : trimOneTrailingNewline(raw)
      if (value.length === 0) {
        throw new UsageError(`--from-stdin=${spec.key}: stdin is empty`, {
          hint: 'pipe the value in, e.g. `vault kv get -field=token ... | kubectl safe-secret create NAME --from-stdin=token`',
        })
      }
      return [{ key: spec.key, value, origin: 'stdin' }]
    }
    case 'stdin-format': {
      const raw = await readStdin(ctx.io, `--stdin-format=${spec.format}`)
      if (raw.length === 0) throw new UsageError(`--stdin-format=${spec.format}: stdin is empty`)
      try {
        return (await parseStdinFormat(spec.format, raw)).map((e) => ({
          ...e,
          origin: `stdin (${spec.format})`,
        }))
      } finally {
        raw.fill(0)
      }
    }
    case 'prompt':
      return [{ key: spec.key, value: await promptFor(spec.key, ctx), origin: 'prompt' }]
  }
}

async function promptFor(key: string, ctx: SourceContext): Promise<Buffer> {
  const value = await ctx.prompter.secret(`Value for ${key} (input hidden):`)
  if (!ctx.confirm) return value
  const again = await ctx.prompter.secret(`Value for ${key} again, to confirm:`)
  const same = again.length === value.length && timingSafeEqual(again, value)
  again.fill(0)
  if (!same) {
    value.fill(0)
    throw new UsageError(`the two values typed for ${key} do not match`, { hint: 'run the command again' })
  }
  return value
}

// A path is shown only when it is made of plain characters: a value typed in its place would be echoed.
function statOrFail(file: string, flag: string): Stats {
  try {
    return statSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new UsageError(`${flag}: no such file or directory: ${quotePath(file)}`)
    if (code === 'EACCES') throw new UsageError(`${flag}: permission denied: ${quotePath(file)}`)
    throw new UsageError(`${flag}: cannot read ${quotePath(file)}: ${code ?? 'error'}`)
  }
}

function readRegularFile(file: string, flag: string): Buffer {
  const stats = statOrFail(file, flag)
  if (stats.isDirectory()) throw new UsageError(`${flag}: ${quotePath(file)} is a directory, not a file`)
  try {
    return readFileSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new UsageError(
      `${flag}: cannot read ${quotePath(file)}: ${code === 'EACCES' ? 'permission denied' : (code ?? 'error')}`,
    )
  }
}

/** kubectl's --from-file: a file (key = its name unless given), or every regular file of a directory. */
function readFileSource(file: string, key: string | undefined): SecretEntry[] {
  const stats = statOrFail(file, '--from-file')
  if (!stats.isDirectory()) {
    return [
      {
        key: key ?? path.basename(file),
        value: readRegularFile(file, '--from-file'),
        origin: `file ${quotePath(file)}`,
      },
    ]
  }
  if (key !== undefined)
    throw new UsageError(`--from-file: cannot give a key name for a directory path (${quotePath(file)})`)
  const entries: SecretEntry[] = []
  for (const item of readdirSync(file, { withFileTypes: true })) {
    if (!item.isFile()) continue
    const itemPath = path.join(file, item.name)
    entries.push({
      key: item.name,
      value: readRegularFile(itemPath, '--from-file'),
      origin: `file ${quotePath(itemPath)}`,
    })
  }
  return entries
}

function readEnvFileSource(file: string, env: NodeJS.ProcessEnv): SecretEntry[] {
  const content = readRegularFile(file, '--from-env-file')
  try {
    return parseEnvFile(content, quotePath(file)).map((e) => ({
      key: e.key,
      // A bare KEY line takes the value from the environment, as in kubectl.
      value: e.value ?? Buffer.from(takeEnv(env, e.key) ?? '', 'utf8'),
      origin: `env file ${quotePath(file)} line ${e.line}`,
    }))
  } finally {
    content.fill(0)
  }
}

function readEnvVariable(key: string, variable: string, env: NodeJS.ProcessEnv): Buffer {
  // The variable's name is not shown: a value typed in its place would be.
  if (env[variable] === undefined) {
    throw new UsageError(`--from-env=${key}: the environment variable it names is not set`, {
      hint: ENV_NAME_HINT,
    })
  }
  if (env[variable] === '')
    throw new UsageError(`--from-env=${key}: the environment variable it names is empty`)
  return Buffer.from(takeEnv(env, variable) as string, 'utf8')
}

/** Reads a variable and removes it: children we may start (exec credential plugins) must not inherit it. */
function takeEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]
  delete env[name]
  return value
}
