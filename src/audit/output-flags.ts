import { Flags } from '@oclif/core'
import type { FailOn } from './findings.js'

/** The flags every audit command shares: output format and the CI exit code. */
export const auditOutputFlags = {
  output: Flags.string({
    char: 'o',
    description: 'Output format. One of: (json). Default: a table.',
    options: ['json', 'table'],
  }),
  'fail-on': Flags.string({
    description: 'Exit with code 3 when a finding has this severity or higher (for CI).',
    options: ['low', 'medium', 'high'],
  }),
  'fail-on-unknown': Flags.boolean({
    description: 'Also exit with code 3 when a check could not run (its result is unknown).',
  }),
}

export interface AuditOutputFlagValues {
  output?: string
  'fail-on'?: string
  'fail-on-unknown'?: boolean
}

export function failOnOf(flags: AuditOutputFlagValues): FailOn | undefined {
  return flags['fail-on'] as FailOn | undefined
}
