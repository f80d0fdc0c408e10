import { UsageError } from '../errors/cli-error.js'
import { secretNameProblem } from '../secret/names.js'

/**
 * kubectl accepts a bare `--dry-run` (meaning `client`) as well as
 * `--dry-run=none|client|server`; oclif flags cannot have an optional value,
 * so the bare form is rewritten before parsing.
 */
export function normalizeDryRunArgv(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') {
      out.push(...argv.slice(i))
      break
    }
    if (arg === '--dry-run') {
      const next = argv[i + 1]
      if (next === 'none' || next === 'client' || next === 'server') {
        out.push(`--dry-run=${next}`)
        i += 1
      } else out.push('--dry-run=client')
      continue
    }
    out.push(arg)
  }
  return out
}

/** The suffix kubectl prints after an action in a dry run. */
export function dryRunSuffix(dryRun: string | undefined): string {
  if (dryRun === 'client') return ' (dry run)'
  if (dryRun === 'server') return ' (server dry run)'
  return ''
}

/** The NAME argument of extend and revoke, checked before any request: a name the API server would refuse. */
export function requireSecretNameArg(name: string): void {
  const problem = secretNameProblem(name)
  if (problem) throw new UsageError(`invalid NAME argument: ${problem}`)
}
