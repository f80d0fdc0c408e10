import type { Command, Interfaces } from '@oclif/core'

/** What help and command resolution need from oclif's manifest and package.json. */
export interface Catalog {
  /** How users invoke the CLI: `kubectl safe-secret`. */
  bin: string
  /** The CLI's own description (package.json). */
  description: string
  /** Visible commands, sorted by id (`keychain:set`). */
  commands: Command.Cached[]
  /** Topic id (`keychain`) to its description: the declared topics and every command id prefix. */
  topics: Map<string, string>
}

export interface CatalogPackageJson {
  description?: string
  oclif?: {
    bin?: string
    topics?: Record<string, { description?: string; hidden?: boolean }>
  }
}

export function catalogOf(manifest: Interfaces.Manifest, pjson: CatalogPackageJson): Catalog {
  const commands = Object.values(manifest.commands)
    .filter((c) => !c.hidden)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const topics = new Map<string, string>()
  for (const c of commands) {
    const parts = c.id.split(':')
    for (let n = 1; n < parts.length; n++) {
      const id = parts.slice(0, n).join(':')
      if (!topics.has(id)) topics.set(id, `${parts.slice(0, n).join(' ')} commands`)
    }
  }
  for (const [id, topic] of Object.entries(pjson.oclif?.topics ?? {})) {
    if (topic.hidden) topics.delete(id)
    else if (topic.description) topics.set(id, topic.description)
  }
  return {
    bin: pjson.oclif?.bin ?? 'kubectl safe-secret',
    description: pjson.description ?? '',
    commands,
    topics,
  }
}

export function findCommand(catalog: Catalog, id: string): Command.Cached | undefined {
  return catalog.commands.find((c) => c.id === id || c.aliases.includes(id))
}

/** The commands and topics one level below `parent` ('' for the top level), with a one-line summary each. */
export function childrenOf(catalog: Catalog, parent: string): { word: string; summary: string }[] {
  const prefix = parent ? `${parent}:` : ''
  const words = new Set<string>()
  for (const c of catalog.commands) {
    if (c.id.startsWith(prefix)) words.add(c.id.slice(prefix.length).split(':')[0] as string)
  }
  return [...words].sort().map((word) => {
    const id = prefix + word
    const command = findCommand(catalog, id)
    return { word, summary: command ? summaryOf(command) : (catalog.topics.get(id) ?? '') }
  })
}

/** A command's one-line summary: its `summary`, else the first line of its description. */
export function summaryOf(command: Command.Cached): string {
  const text = command.summary ?? command.description ?? ''
  return (text.split('\n')[0] ?? '').replace(/\s+/g, ' ').trim()
}
