import { Flags } from '@oclif/core'

const SOURCES = 'VALUE SOURCES'

/** Where values come from: the same flags, with the same rules, for `create` and `rotate`. */
export const sourceFlags = {
  'from-prompt': Flags.string({
    description: 'Ask for the value of KEY on the terminal, hidden. Repeatable.',
    multiple: true,
    helpValue: 'KEY',
    helpGroup: SOURCES,
  }),
  confirm: Flags.boolean({ description: 'With --from-prompt, ask each value twice.', helpGroup: SOURCES }),
  'from-stdin': Flags.string({
    description: 'Read all of stdin (binary-safe) as the value of KEY. One trailing newline is trimmed.',
    multiple: true,
    helpValue: 'KEY',
    helpGroup: SOURCES,
  }),
  'keep-trailing-newline': Flags.boolean({
    description: 'With --from-stdin, keep the trailing newline.',
    helpGroup: SOURCES,
  }),
  'stdin-format': Flags.string({
    description: 'Read several keys at once from stdin: dotenv lines or a JSON object of strings.',
    options: ['env', 'json'],
    helpGroup: SOURCES,
  }),
  'from-file': Flags.string({
    description: 'Key from a file ([KEY=]PATH; a directory means every regular file in it), as in kubectl.',
    multiple: true,
    helpValue: '[KEY=]PATH',
    helpGroup: SOURCES,
  }),
  'from-env-file': Flags.string({
    description: "Keys from a file of KEY=VALUE lines, with kubectl's --from-env-file semantics.",
    multiple: true,
    helpValue: 'PATH',
    helpGroup: SOURCES,
  }),
  'from-env': Flags.string({
    description: 'Value of KEY from the environment variable VARNAME (as CI systems inject secrets).',
    multiple: true,
    helpValue: 'KEY=VARNAME',
    helpGroup: SOURCES,
  }),
  'from-keychain': Flags.string({
    description:
      "Value of KEY from an OS keychain entry: SERVICE/ACCOUNT (the account is after the last '/', so URL services work), or service=S,account=A. See 'kubectl safe-secret keychain --help'.",
    multiple: true,
    helpValue: 'KEY=SERVICE/ACCOUNT',
    helpGroup: SOURCES,
  }),
}
