import { UsageError } from '../errors/cli-error.js'
import { quoteName, quotePath } from '../errors/user-text.js'
import { type KeychainRef, parseKeychainFlag } from '../keychain/index.js'
import { secretKeyProblem } from '../secret/names.js'

/** Where one or more values come from. Parsed from flags before anything is read. */
export type SourceSpec =
  | { kind: 'prompt'; key: string }
  | { kind: 'stdin'; key: string }
  | { kind: 'stdin-format'; format: 'env' | 'json' }
  | { kind: 'file'; key?: string; path: string }
  | { kind: 'env-file'; path: string }
  | { kind: 'env'; key: string; variable: string }
  | ({ kind: 'keychain' } & KeychainRef)
  | { kind: 'cert-file'; key: 'tls.crt' | 'tls.key'; path: string }

export interface SourceFlagValues {
  'from-prompt'?: string[]
  'from-stdin'?: string[]
  'stdin-format'?: string
  'from-file'?: string[]
  'from-env-file'?: string[]
  'from-env'?: string[]
  'from-keychain'?: string[]
}

/**
 * Turns the source flags into specs, with kubectl's syntax for --from-file
 * (`[KEY=]PATH`), and refuses what cannot work: two sources on stdin, a
 * malformed KEY=VARNAME. Key validity is checked later, once every key is known.
 */
export function parseSourceFlags(flags: SourceFlagValues): SourceSpec[] {
  const specs: SourceSpec[] = []
  for (const key of flags['from-prompt'] ?? [])
    specs.push({ kind: 'prompt', key: checkKey(key, '--from-prompt') })
  for (const key of flags['from-stdin'] ?? [])
    specs.push({ kind: 'stdin', key: checkKey(key, '--from-stdin') })
  if (flags['stdin-format']) {
    const format = flags['stdin-format']
    if (format !== 'env' && format !== 'json') {
      throw new UsageError(`--stdin-format must be env or json, not ${quoteName(format)}`)
    }
    specs.push({ kind: 'stdin-format', format })
  }
  for (const source of flags['from-file'] ?? []) specs.push(parseFileSource(source))
  for (const path of flags['from-env-file'] ?? []) specs.push({ kind: 'env-file', path })
  for (const source of flags['from-env'] ?? []) specs.push(parseEnvSource(source))
  for (const source of flags['from-keychain'] ?? [])
    specs.push({ kind: 'keychain', ...parseKeychainFlag(source) })

  const onStdin = specs.filter((s) => s.kind === 'stdin' || s.kind === 'stdin-format')
  if (onStdin.length > 1) {
    throw new UsageError(
      'stdin can feed only one source: use one --from-stdin=KEY, or --stdin-format for several keys',
      {
        hint: 'read other values with --from-prompt, --from-file, --from-env or --from-keychain',
      },
    )
  }
  return specs
}

/** kubectl's ParseFileSource: `PATH` (key = file name) or `KEY=PATH`. */
export function parseFileSource(source: string): SourceSpec {
  const eq = source.indexOf('=')
  if (eq < 0) return { kind: 'file', path: source }
  const key = source.slice(0, eq)
  const path = source.slice(eq + 1)
  if (key === '')
    throw new UsageError(`key name for file path ${quotePath(path, true)} missing in --from-file`)
  if (path === '') throw new UsageError(`file path for key name ${quoteName(key)} missing in --from-file`)
  if (path.includes('='))
    throw new UsageError(`--from-file: key names or file paths cannot contain '=' (key ${quoteName(key)})`)
  return { kind: 'file', key: checkKey(key, '--from-file'), path }
}

/**
 * What follows `--from-env=KEY=` is never echoed: `--from-env=token=$TOKEN` puts the
 * token itself there, and an error message would print it.
 */
function parseEnvSource(source: string): SourceSpec {
  const eq = source.indexOf('=')
  const key = eq < 0 ? '' : source.slice(0, eq)
  const variable = eq < 0 ? '' : source.slice(eq + 1)
  if (!key || !variable) {
    throw new UsageError('--from-env takes KEY=VARNAME, the name of an environment variable', {
      hint: 'for example --from-env=password=DB_PASSWORD',
    })
  }
  checkKey(key, '--from-env')
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
    throw new UsageError(
      `--from-env=${key}: what follows "${key}=" is not a valid environment variable name (not shown, in case it is a value)`,
      { hint: ENV_NAME_HINT },
    )
  }
  return { kind: 'env', key, variable }
}

/**
 * A KEY given on the command line, checked before it is used in any message:
 * text that is not a valid Secret key is not repeated, it may be a value.
 */
function checkKey(key: string, flag: string): string {
  const problem = secretKeyProblem(key)
  if (problem)
    throw new UsageError(
      `${flag}: the key ${quoteName(key)} is not a valid key name for a Secret: ${problem}`,
    )
  return key
}

/** For errors about the variable a --from-env flag names, without showing that name. */
export const ENV_NAME_HINT =
  "give the variable's name (--from-env=password=DB_PASSWORD), not its value ($DB_PASSWORD, which the shell expands)"

export function usesStdin(specs: SourceSpec[]): boolean {
  return specs.some((s) => s.kind === 'stdin' || s.kind === 'stdin-format')
}

export function usesPrompt(specs: SourceSpec[]): boolean {
  return specs.some((s) => s.kind === 'prompt')
}
