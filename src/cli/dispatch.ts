import type { Command, Interfaces } from '@oclif/core'
import { describeParseError, quoteIfWord, STRAY_ARGUMENT } from '../errors/present.js'
import { renderCommandHelp, renderRootHelp, renderTopicHelp } from '../help/render.js'
import { type Catalog, type CatalogPackageJson, catalogOf, childrenOf, findCommand } from './catalog.js'

/**
 * The command line before oclif is even loaded. Help (`--help`, `-h`, `help CMD`,
 * a topic on its own, no arguments at all), `--version` and unknown commands are
 * answered from the manifest alone: loading oclif costs more than everything
 * else `--help` does, and none of these needs it. Flags written before the
 * command are moved after it, as kubectl (cobra) allows them there.
 */

export interface Answer {
  stdout?: string
  stderr?: string
  exitCode: number
}

export interface PackageJson extends CatalogPackageJson {
  name: string
  version: string
}

export interface Runtime {
  platform: string
  arch: string
  nodeVersion: string
}

export type Resolution =
  | { kind: 'root' }
  | { kind: 'command'; id: string; command: Command.Cached }
  | { kind: 'topic'; id: string; extra: boolean }
  | { kind: 'unknown'; parent: string; word: string }
  | { kind: 'unexpected'; id: string; command: Command.Cached }

const HELP_FLAGS = new Set(['--help', '-h'])

/** Either what to print and the exit code, or the arguments to run oclif with. */
export type Dispatch = { answer: Answer } | { run: string[] }

/** Prints an answer; returns its exit code. */
export function writeAnswer(
  answer: Answer,
  streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): number {
  if (answer.stdout) streams.stdout.write(answer.stdout)
  if (answer.stderr) streams.stderr.write(answer.stderr)
  return answer.exitCode
}

/**
 * Decides what happens to the command line before oclif loads: an answer from the
 * manifest, or oclif with the command's words first (as cobra, kubectl takes
 * flags before the subcommand: `-n prod list` runs `list -n prod`).
 */
export function dispatch(
  argv: string[],
  manifest: Interfaces.Manifest,
  pjson: PackageJson,
  runtime: Runtime,
): Dispatch {
  const catalog = catalogOf(manifest, pjson)
  const ordered = commandFirst(catalog, argv)
  const answer = answerFromCatalog(catalog, ordered, pjson, runtime)
  return answer ? { answer } : { run: ordered }
}

function answerFromCatalog(
  catalog: Catalog,
  argv: string[],
  pjson: PackageJson,
  runtime: Runtime,
): Answer | undefined {
  if (argv[0] === '--version') {
    return {
      stdout: `${pjson.name}/${pjson.version} ${runtime.platform}-${runtime.arch} node-${runtime.nodeVersion}\n`,
      exitCode: 0,
    }
  }
  const end = argv.indexOf('--')
  const head = end === -1 ? argv : argv.slice(0, end)
  let wantsHelp = argv.length === 0 || head.some((a) => HELP_FLAGS.has(a))
  let words = argv
  if (argv[0] === 'help') {
    wantsHelp = true
    words = argv.slice(1)
  }
  const target = resolveCommand(
    catalog,
    words.filter((a) => !HELP_FLAGS.has(a)),
  )
  switch (target.kind) {
    case 'unknown':
      return unknownCommand(catalog, target)
    case 'unexpected': {
      if (wantsHelp) return { stdout: renderCommandHelp(catalog, target.command), exitCode: 0 }
      const invocation = [catalog.bin, ...target.id.split(':')].join(' ')
      return {
        stderr: `error: ${STRAY_ARGUMENT}\nhint: '${invocation}' takes no arguments; see '${invocation} --help' for usage\n`,
        exitCode: 1,
      }
    }
    case 'topic':
      if (target.extra && !wantsHelp) return undefined
      return { stdout: renderTopicHelp(catalog, target.id), exitCode: 0 }
    case 'command':
      return wantsHelp ? { stdout: renderCommandHelp(catalog, target.command), exitCode: 0 } : undefined
    case 'root': {
      // Flags and no command: an unknown flag is an error; otherwise, as cobra, the root's help.
      const unknown = head.find((a) => a.startsWith('-') && !HELP_FLAGS.has(a) && !isKnownFlag(catalog, a))
      if (unknown && !wantsHelp) {
        return {
          stderr: `error: ${describeParseError(`Nonexistent flag: ${unknown}`)}\nhint: see '${catalog.bin} --help' for the commands\n`,
          exitCode: 1,
        }
      }
      return { stdout: renderRootHelp(catalog), exitCode: 0 }
    }
  }
}

/**
 * The command line with the words naming the command moved to the front, the
 * rest in their order. A flag before the command is read as any command defines
 * it: an option flag (`-n`, `--context`) takes the next word as its value.
 */
export function commandFirst(catalog: Catalog, argv: string[]): string[] {
  // The usual case, the command first, needs no reading of flags.
  if (!argv[0]?.startsWith('-')) return argv
  const positions: number[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') break
    if (arg.startsWith('-')) {
      if (flagTakesValue(catalog, arg)) i++
      continue
    }
    positions.push(i)
  }
  if (positions.length === 0) return argv
  const target = resolveCommand(
    catalog,
    positions.map((i) => argv[i] as string),
  )
  const used =
    target.kind === 'command' || target.kind === 'topic' || target.kind === 'unexpected'
      ? target.id.split(':').length
      : 1
  // `keychain:set` is one word however many parts the id has.
  const words = positions.slice(0, (argv[positions[0] as number] as string).includes(':') ? 1 : used)
  return [...words.map((i) => argv[i] as string), ...argv.filter((_, i) => !words.includes(i))]
}

/** `-n`, `--context`: a flag that some command defines as taking a value, written without `=`. */
function flagTakesValue(catalog: Catalog, arg: string): boolean {
  return !arg.includes('=') && flagsNamed(catalog, arg).some((f) => f.type === 'option')
}

function isKnownFlag(catalog: Catalog, arg: string): boolean {
  return flagsNamed(catalog, arg.split('=')[0] as string).length > 0
}

function flagsNamed(catalog: Catalog, arg: string) {
  return catalog.commands.flatMap((c) =>
    Object.values(c.flags).filter(
      (f) =>
        arg === `--${f.name}` ||
        (f.char !== undefined && arg === `-${f.char}`) ||
        (f.type === 'boolean' && f.allowNo && arg === `--no-${f.name}`),
    ),
  )
}

/**
 * The command the leading words name, as oclif reads them with a space as the
 * topic separator: the longest run of words that is a command id (or a topic).
 * Words after a command are its arguments.
 */
export function resolveCommand(catalog: Catalog, argv: string[]): Resolution {
  const positional: string[] = []
  for (const arg of argv) {
    if (arg.startsWith('-')) break
    positional.push(arg)
  }
  if (positional.length === 0) return { kind: 'root' }
  // oclif also accepts the id itself: `keychain:set`.
  const words = [...(positional[0] as string).split(':'), ...positional.slice(1)]
  for (let n = words.length; n > 0; n--) {
    const id = words.slice(0, n).join(':')
    const command = findCommand(catalog, id)
    if (command) {
      // A word after a command that takes no arguments: a mistyped subcommand
      // (`audit locl`), or a stray argument (`list extra`), which oclif would
      // otherwise report as a missing command `list:extra`.
      const takesArgs = Object.keys(command.args).length > 0 || command.strict === false
      if (n === words.length || takesArgs) return { kind: 'command', id, command }
      const hasChildren = catalog.commands.some((c) => c.id.startsWith(`${id}:`))
      return hasChildren
        ? { kind: 'unknown', parent: id, word: words[n] as string }
        : { kind: 'unexpected', id, command }
    }
    if (catalog.topics.has(id)) {
      // A topic followed by a word that names nothing under it.
      if (n < words.length) return { kind: 'unknown', parent: id, word: words[n] as string }
      return { kind: 'topic', id, extra: argv.length > positional.length }
    }
  }
  return { kind: 'unknown', parent: '', word: words[0] as string }
}

function unknownCommand(catalog: Catalog, target: { parent: string; word: string }): Answer {
  const where = [catalog.bin, ...(target.parent ? target.parent.split(':') : [])].join(' ')
  const suggestion = childrenOf(catalog, target.parent)
    .map((c) => c.word)
    .find((word) => editDistance(word, target.word) <= 2)
  const hint = `${suggestion ? `did you mean "${suggestion}"? ` : ''}see '${where} --help' for the list of commands`
  // A word that may be a value typed in the wrong place is not echoed.
  return {
    stderr: `error: unknown command ${quoteIfWord(target.word)} for "${where}"\nhint: ${hint}\n`,
    exitCode: 1,
  }
}

/** Levenshtein distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] as number
}
