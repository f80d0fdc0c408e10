/**
 * What happens to the command line before oclif loads (src/cli/dispatch.ts):
 * help, --version and unknown commands answered from the manifest, and flags
 * written before the command. On a small manifest shaped like oclif's, and on
 * the real one, so every shipped command's help is checked against its flags.
 */
import { readFileSync } from 'node:fs'
import type { Interfaces } from '@oclif/core'
import { describe, expect, it } from 'vitest'
import { catalogOf } from '../../../src/cli/catalog.js'
import { commandFirst, dispatch, type PackageJson, resolveCommand } from '../../../src/cli/dispatch.js'

const runtime = { platform: 'linux', arch: 'x64', nodeVersion: 'v20.20.2' }
const pjson: PackageJson = {
  name: 'kubectl-safe-secret',
  version: '1.2.3',
  description: 'Creates Secrets safely.',
  oclif: { bin: 'kubectl safe-secret', topics: { keychain: { description: 'Keychain entries.' } } },
}

const flag = (name: string, more: Record<string, unknown> = {}) => ({ name, type: 'option', ...more })
const command = (id: string, more: Record<string, unknown> = {}) => ({
  id,
  aliases: [],
  args: {},
  flags: {},
  ...more,
})
const manifest = {
  version: '1.2.3',
  commands: {
    create: command('create', {
      summary: 'Create a Secret.',
      description: 'Longer text.\n\nSecond paragraph.',
      args: { name: { name: 'name', description: 'Name of the Secret.', required: true } },
      examples: [
        { description: 'From stdin:', command: 'echo x | <%= config.bin %> create a --from-stdin=k' },
        '<%= config.bin %> create b --from-prompt=p',
      ],
      flags: {
        debug: flag('debug', { type: 'boolean', helpGroup: 'GLOBAL', description: 'Stack traces.' }),
        'from-stdin': flag('from-stdin', {
          multiple: true,
          helpGroup: 'SOURCES',
          description: 'Read stdin.',
        }),
        'from-env': flag('from-env', { multiple: true, helpValue: 'KEY=VARNAME', helpGroup: 'SOURCES' }),
        'dry-run': flag('dry-run', {
          default: 'none',
          options: ['none', 'client', 'server'],
          description: 'Must be none, client or server.',
        }),
        output: flag('output', { char: 'o', options: ['json', 'yaml'], description: 'Output format.' }),
        wait: flag('wait', { type: 'boolean', allowNo: true, default: true, description: 'Wait.' }),
        'from-literal': flag('from-literal', { hidden: true, description: 'Refused.' }),
      },
    }),
    audit: command('audit', { summary: 'Audit a cluster.' }),
    'audit:local': command('audit:local', {
      summary: 'Audit this machine.',
      args: { path: { name: 'path', default: '.', description: 'Where.' } },
    }),
    'keychain:set': command('keychain:set', {
      summary: 'Store a value.',
      args: { service: { name: 'service', required: true }, account: { name: 'account', required: true } },
    }),
    'keychain:list': command('keychain:list', { summary: 'List accounts.' }),
    secret: command('secret', { hidden: true }),
  },
} as unknown as Interfaces.Manifest

const answer = (...argv: string[]) => {
  const d = dispatch(argv, manifest, pjson, runtime)
  return 'answer' in d ? d.answer : undefined
}
const help = (...argv: string[]) => {
  const a = answer(...argv)
  expect(a?.exitCode).toBe(0)
  return a?.stdout ?? ''
}

describe('what is answered without oclif', () => {
  it('prints the version as oclif does', () => {
    expect(answer('--version')).toEqual({
      stdout: 'kubectl-safe-secret/1.2.3 linux-x64 node-v20.20.2\n',
      exitCode: 0,
    })
  })

  it('answers --help, -h and `help CMD` alike, and the root help with no arguments', () => {
    expect(help('create', '--help')).toBe(help('create', '-h'))
    expect(help('help', 'create')).toBe(help('create', 'x', '--from-stdin=k', '--help'))
    expect(help()).toBe(help('--help'))
    expect(help('help')).toBe(help())
  })

  it('leaves every real run to oclif, and a --help after -- to the command', () => {
    expect(answer('create', 'x', '--from-stdin=k')).toBeUndefined()
    expect(answer('create', 'x', '--', '--help')).toBeUndefined()
  })

  it('shows a topic on its own as its help', () => {
    expect(help('keychain')).toBe(help('keychain', '--help'))
    expect(help('keychain')).toContain(
      'Available Commands:\n  list   List accounts.\n  set    Store a value.',
    )
  })

  it('refuses a stray word after a command without arguments, never echoing it', () => {
    expect(answer('keychain', 'list', 'Hunter2')).toEqual({
      stderr:
        'error: unexpected argument (not shown, in case it is a value): values come only from the source flags\n' +
        "hint: 'kubectl safe-secret keychain list' takes no arguments; see 'kubectl safe-secret keychain list --help' for usage\n",
      exitCode: 1,
    })
    expect(answer('keychain', 'list', 'x', '--help')?.stdout).toContain(
      'Usage:\n  kubectl safe-secret keychain list [options]',
    )
  })

  it('refuses an unknown command with exit 1, a suggestion, and never echoes what may be a value', () => {
    expect(answer('crate')).toEqual({
      stderr:
        'error: unknown command "crate" for "kubectl safe-secret"\n' +
        `hint: did you mean "create"? see 'kubectl safe-secret --help' for the list of commands\n`,
      exitCode: 1,
    })
    expect(answer('keychain', 'sett', '--help')?.stderr).toContain(
      'unknown command "sett" for "kubectl safe-secret keychain"\nhint: did you mean "set"?',
    )
    const hidden = answer('hunter2!')
    expect(hidden?.exitCode).toBe(1)
    expect(hidden?.stderr).not.toContain('hunter2')
    expect(hidden?.stderr).toContain('unknown command (not shown, in case it is a value)')
    expect(answer('secret')?.exitCode).toBe(1)
    expect(answer('audit', 'locl')?.stderr).toContain(
      'unknown command "locl" for "kubectl safe-secret audit"\nhint: did you mean "local"?',
    )
  })
})

describe('flags before the command, as kubectl takes them', () => {
  const catalog = catalogOf(manifest, pjson)
  const run = (...argv: string[]) => {
    const d = dispatch(argv, manifest, pjson, runtime)
    return 'run' in d ? d.run : d.answer
  }

  it('moves the command words to the front; an option flag keeps its value', () => {
    expect(commandFirst(catalog, ['-o', 'json', 'create', 'x', '--from-stdin=k'])).toEqual([
      'create',
      '-o',
      'json',
      'x',
      '--from-stdin=k',
    ])
    expect(run('--debug', 'audit', 'local', '-o', 'json')).toEqual([
      'audit',
      'local',
      '--debug',
      '-o',
      'json',
    ])
    expect(run('--output=json', 'keychain', 'set', 's', 'a')).toEqual([
      'keychain',
      'set',
      '--output=json',
      's',
      'a',
    ])
  })

  it('leaves a command line that starts with its command, or has none, as it is', () => {
    expect(run('create', 'x', '-o', 'json')).toEqual(['create', 'x', '-o', 'json'])
    expect(commandFirst(catalog, ['-o', 'json'])).toEqual(['-o', 'json'])
    expect(commandFirst(catalog, ['--', 'create'])).toEqual(['--', 'create'])
  })

  it('answers help and unknown commands after the move too', () => {
    expect(answer('-o', 'json', 'create', '--help')?.stdout).toContain(
      'Usage:\n  kubectl safe-secret create NAME',
    )
    expect(answer('-o', 'json', 'crate')?.stderr).toContain('unknown command "crate"')
  })

  it('with flags and no command: the root help, or an error for a flag no command has', () => {
    expect(answer('--debug')).toEqual(answer('--help'))
    expect(answer('-o', 'json')?.exitCode).toBe(0)
    expect(answer('--bogus=Hunter2')).toEqual({
      stderr: 'error: unknown flag: --bogus\n' + "hint: see 'kubectl safe-secret --help' for the commands\n",
      exitCode: 1,
    })
  })
})

describe('resolving the command from the words', () => {
  const catalog = catalogOf(manifest, pjson)
  it('takes the longest run of words that names a command; the rest are arguments', () => {
    const named = (id: string) => ({ id, command: manifest.commands[id] })
    expect(resolveCommand(catalog, ['create', 'keychain', '-o', 'json'])).toEqual({
      kind: 'command',
      ...named('create'),
    })
    expect(resolveCommand(catalog, ['audit', 'local', 'src'])).toEqual({
      kind: 'command',
      ...named('audit:local'),
    })
    expect(resolveCommand(catalog, ['audit', '-A'])).toEqual({ kind: 'command', ...named('audit') })
    expect(resolveCommand(catalog, ['keychain:set', 's', 'a'])).toEqual({
      kind: 'command',
      ...named('keychain:set'),
    })
  })

  it('tells a topic, a topic with flags, the root and unknown words apart', () => {
    expect(resolveCommand(catalog, ['keychain'])).toEqual({ kind: 'topic', id: 'keychain', extra: false })
    expect(resolveCommand(catalog, ['keychain', '--x'])).toEqual({
      kind: 'topic',
      id: 'keychain',
      extra: true,
    })
    expect(resolveCommand(catalog, ['keychain', 'nope'])).toEqual({
      kind: 'unknown',
      parent: 'keychain',
      word: 'nope',
    })
    expect(resolveCommand(catalog, ['--debug', 'create'])).toEqual({ kind: 'root' })
    expect(resolveCommand(catalog, ['nope', 'create'])).toEqual({ kind: 'unknown', parent: '', word: 'nope' })
    // A command without arguments takes no further word: a mistyped subcommand, or a stray argument.
    expect(resolveCommand(catalog, ['audit', 'locl'])).toEqual({
      kind: 'unknown',
      parent: 'audit',
      word: 'locl',
    })
    expect(resolveCommand(catalog, ['keychain', 'list', 'hunter2'])).toEqual({
      kind: 'unexpected',
      id: 'keychain:list',
      command: manifest.commands['keychain:list'],
    })
  })
})

describe('help in kubectl layout', () => {
  const text = help('create', '--help')

  it('has the summary, the description indented, examples with the bin filled in, and the usage', () => {
    expect(text.startsWith('Create a Secret.\n\n Longer text.\n\n Second paragraph.\n\nExamples:\n')).toBe(
      true,
    )
    expect(text).toContain('  # From stdin:\n  echo x | kubectl safe-secret create a --from-stdin=k\n\n')
    expect(text).toContain('  kubectl safe-secret create b --from-prompt=p\n')
    expect(text).toContain('Arguments:\n    NAME:\n\tName of the Secret.')
    expect(text.endsWith('Usage:\n  kubectl safe-secret create NAME [options]\n')).toBe(true)
    expect(text).not.toContain('<%')
  })

  it('prints each flag as `--name=default:` with its description after a tab, hidden flags left out', () => {
    expect(text).toContain("    --dry-run='none':\n\tMust be none, client or server.\n")
    expect(text).toContain("    -o, --output='':\n\tOutput format. One of: json|yaml.\n")
    expect(text).toContain('    --from-stdin=[]:\n\tRead stdin.\n')
    expect(text).toContain('    --from-env=KEY=VARNAME:\n')
    expect(text).toContain('    --[no-]wait=true:\n\tWait.\n')
    expect(text).not.toContain('from-literal')
  })

  it('puts ungrouped flags first, then each help group, GLOBAL last', () => {
    const order = ['Options:', 'Sources options:', 'Global options:', 'Usage:'].map((h) =>
      text.indexOf(`\n${h}\n`),
    )
    expect(order.every((i) => i > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
  })

  it('lists the subcommands of a command that is also a topic, and an optional argument with its default', () => {
    const audit = help('audit', '--help')
    expect(audit).toContain('Available Commands:\n  local   Audit this machine.\n')
    expect(audit).toContain('Use "kubectl safe-secret audit <command> --help" for more information')
    expect(help('audit', 'local', '-h')).toContain("Arguments:\n    [PATH]='.':\n\tWhere.")
  })

  it('lists top-level commands and topics at the root, never hidden ones', () => {
    expect(help()).toBe(
      [
        'Creates Secrets safely.',
        '',
        'Available Commands:',
        '  audit      Audit a cluster.',
        '  create     Create a Secret.',
        '  keychain   Keychain entries.',
        '',
        'Usage:',
        '  kubectl safe-secret [command] [options]',
        '',
        'Use "kubectl safe-secret <command> --help" for more information about a given command.',
        '',
      ].join('\n'),
    )
  })
})

describe('the shipped manifest', () => {
  const real = JSON.parse(readFileSync(new URL('../../../oclif.manifest.json', import.meta.url), 'utf8'))
  const realPjson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'))

  it('gives every command a help that shows each visible flag once and no hidden one', () => {
    for (const cmd of Object.values(real.commands) as Interfaces.Manifest['commands'][string][]) {
      const words = cmd.id.split(':')
      const d = dispatch([...words, '--help'], real, realPjson, runtime)
      const out = 'answer' in d ? d.answer : undefined
      expect(out?.exitCode, cmd.id).toBe(0)
      const text = out?.stdout ?? ''
      expect(text, cmd.id).toContain(`Usage:\n  kubectl safe-secret ${words.join(' ')}`)
      for (const f of Object.values(cmd.flags)) {
        const shown = text
          .split('\n')
          .filter((l) => new RegExp(`^ {4}(-., )?--(\\[no-\\])?${f.name}=`).test(l))
        expect(shown.length, `${cmd.id} --${f.name}`).toBe(f.hidden ? 0 : 1)
      }
      expect(text, cmd.id).not.toContain('<%')
    }
  })
})
