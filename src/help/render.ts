import type { Command } from '@oclif/core'
import { type Catalog, childrenOf } from '../cli/catalog.js'

/*
 * Help in kubectl's own layout (`kubectl create secret generic --help`):
 * summary, description, Examples:, Available Commands:, Options:, Usage:.
 * Flags are listed as `    --name=default:` with the description on the next
 * line after a tab, nothing is wrapped to the terminal width and nothing is
 * coloured, so the text is the same on a terminal and in a pipe.
 */

export function renderRootHelp(catalog: Catalog): string {
  return sections([
    [catalog.description],
    commandList('Available Commands:', childrenOf(catalog, '')),
    ['Usage:', `  ${catalog.bin} [command] [options]`],
    [`Use "${catalog.bin} <command> --help" for more information about a given command.`],
  ])
}

export function renderTopicHelp(catalog: Catalog, topicId: string): string {
  const words = `${catalog.bin} ${topicId.split(':').join(' ')}`
  return sections([
    [catalog.topics.get(topicId) ?? ''],
    commandList('Available Commands:', childrenOf(catalog, topicId)),
    ['Usage:', `  ${words} <command> [options]`],
    [`Use "${words} <command> --help" for more information about a given command.`],
  ])
}

export function renderCommandHelp(catalog: Catalog, command: Command.Cached): string {
  const words = `${catalog.bin} ${command.id.split(':').join(' ')}`
  const children = childrenOf(catalog, command.id)
  const args = Object.values(command.args)
  const summary = command.summary ?? ''
  const description = (command.description ?? '').trim()
  return sections([
    [summary || (description.split('\n')[0] ?? '')],
    summary && description ? [indent(description, ' ')] : [],
    examples(catalog, command),
    commandList('Available Commands:', children),
    args.length ? ['Arguments:', ...args.map(argument)] : [],
    ...flagSections(command),
    [
      'Usage:',
      `  ${[words, ...args.map((a) => (a.required ? a.name.toUpperCase() : `[${a.name.toUpperCase()}]`)), '[options]'].join(' ')}`,
    ],
    children.length ? [`Use "${words} <command> --help" for more information about a given command.`] : [],
  ])
}

function sections(blocks: string[][]): string {
  return `${blocks
    .filter((b) => b.length > 0)
    .map((b) => b.join('\n'))
    .join('\n\n')}\n`
}

function commandList(title: string, entries: { word: string; summary: string }[]): string[] {
  if (entries.length === 0) return []
  const width = Math.max(...entries.map((e) => e.word.length)) + 3
  return [title, ...entries.map((e) => `  ${e.word.padEnd(width)}${e.summary}`.trimEnd())]
}

function examples(catalog: Catalog, command: Command.Cached): string[] {
  const list = command.examples ?? []
  if (list.length === 0) return []
  const bin = (s: string) => s.replaceAll('<%= config.bin %>', catalog.bin)
  const blocks = list.map((e) =>
    typeof e === 'string'
      ? indent(bin(e), '  ')
      : `${indent(bin(e.description), '  # ')}\n${indent(bin(e.command), '  ')}`,
  )
  return ['Examples:', blocks.join('\n\n')]
}

function argument(arg: Command.Arg.Cached): string {
  const name = arg.required ? arg.name.toUpperCase() : `[${arg.name.toUpperCase()}]`
  const fallback = arg.default === undefined ? '' : `='${String(arg.default)}'`
  return `    ${name}${fallback}:\n${tabbed(arg.description ?? '')}`
}

/** "Options:" for ungrouped flags, then one section per helpGroup in order of appearance, GLOBAL last. */
function flagSections(command: Command.Cached): string[][] {
  const groups = new Map<string, Command.Flag.Cached[]>()
  for (const flag of Object.values(command.flags)) {
    if (flag.hidden) continue
    const group = flag.helpGroup ?? ''
    groups.set(group, [...(groups.get(group) ?? []), flag])
  }
  const order = [...groups.keys()].sort((a, b) => rank(a) - rank(b))
  return order.map((group) => [
    group ? `${capitalize(group.toLowerCase())} options:` : 'Options:',
    (groups.get(group) ?? [])
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map(flagEntry)
      .join('\n\n'),
  ])
}

function rank(group: string): number {
  return group === '' ? 0 : group === 'GLOBAL' ? 2 : 1
}

function flagEntry(flag: Command.Flag.Cached): string {
  const short = flag.char ? `-${flag.char}, ` : ''
  const name = flag.type === 'boolean' && flag.allowNo ? `--[no-]${flag.name}` : `--${flag.name}`
  let description = flag.summary ?? flag.description ?? ''
  if (flag.type === 'option' && flag.options?.length) {
    const missing = flag.options.some((o) => !description.includes(o))
    if (missing) description = `${description.trimEnd()} One of: ${flag.options.join('|')}.`.trim()
  }
  return `    ${short}${name}=${shownValue(flag)}:\n${tabbed(description)}`
}

/**
 * After the `=`: the default as kubectl prints it (`false`, `'text'`, `[]`), or,
 * for a flag without a default, the shape of its value (`KEY=VARNAME`).
 */
function shownValue(flag: Command.Flag.Cached): string {
  if (flag.type === 'boolean') return String(flag.default === true)
  const value: unknown = flag.default
  if (value === undefined && flag.helpValue) return String(flag.helpValue)
  if (flag.multiple) return `[${Array.isArray(value) ? value.join(',') : (value ?? '')}]`
  return `'${value === undefined ? '' : String(value)}'`
}

function tabbed(text: string): string {
  return indent(text.trim(), '\t')
}

/** Prefixes every non-empty line. */
function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line ? prefix + line : line))
    .join('\n')
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
