/**
 * The names a user types for kubectl: `k` (the convention kubectl's own docs
 * suggest), and every alias of kubectl the shell's rc files define, read as
 * text, never run: `alias k=kubectl`, `alias kp='kubectl -n prod'` (bash, zsh),
 * `alias k kubectl` and `abbr -a k kubectl` (fish). An alias of an alias of
 * kubectl counts too.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { splitShellWords } from './shell-words.js'

/** Alias name → the words it expands to (the first is kubectl, or another alias). */
export type KubectlAliases = ReadonlyMap<string, string[]>

export const KUBECTL_PROGRAM = /(^|\/)(kubectl|oc)(\.exe)?$/

export const DEFAULT_ALIASES: KubectlAliases = new Map([['k', ['kubectl']]])

/** The rc files each shell reads, where aliases usually live. */
export function rcFiles(env: NodeJS.ProcessEnv, home: string): string[] {
  const zdot = env.ZDOTDIR || home
  const config = env.XDG_CONFIG_HOME || path.join(home, '.config')
  return [
    ...['.bashrc', '.bash_aliases', '.bash_profile', '.profile'].map((f) => path.join(home, f)),
    ...['.zshrc', '.zshenv', '.zprofile', '.zsh_aliases'].map((f) => path.join(zdot, f)),
    path.join(config, 'fish', 'config.fish'),
  ]
}

/** Every `alias`/`abbr` definition in TEXT, as name → expansion words. */
export function parseAliasDefinitions(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    const words = splitShellWords(line)
      .filter((t) => t.kind === 'word')
      .map((t) => t.text)
    if (words[0] === 'alias') {
      const defs = words.slice(1).filter((w) => !w.startsWith('-'))
      for (let i = 0; i < defs.length; i++) {
        const d = defs[i] as string
        const eq = d.indexOf('=')
        if (eq > 0) {
          // bash/zsh: alias NAME=VALUE [NAME=VALUE...]
          out.set(d.slice(0, eq), splitWords(d.slice(eq + 1)))
        } else if (i === 0 && defs.length >= 2) {
          // fish: alias NAME VALUE
          out.set(d, splitWords(defs.slice(1).join(' ')))
          break
        }
      }
    } else if (words[0] === 'abbr') {
      const defs = words.slice(1).filter((w) => !w.startsWith('-'))
      if (defs.length >= 2) out.set(defs[0] as string, splitWords(defs.slice(1).join(' ')))
    }
  }
  return out
}

function splitWords(value: string): string[] {
  return splitShellWords(value)
    .filter((t) => t.kind === 'word')
    .map((t) => t.text)
}

/** Keeps the definitions that lead to kubectl, following aliases of aliases. */
export function kubectlAliasesOf(defs: Map<string, string[]>): Map<string, string[]> {
  const out = new Map(DEFAULT_ALIASES)
  let changed = true
  while (changed) {
    changed = false
    for (const [name, words] of defs) {
      if (out.has(name) && name !== 'k') continue
      const first = words[0] ?? ''
      if (KUBECTL_PROGRAM.test(first) || (out.has(first) && first !== name)) {
        if (out.get(name)?.join(' ') === words.join(' ')) continue
        out.set(name, words)
        changed = true
      }
    }
  }
  // `k` bound to something else than kubectl in the rc files is not kubectl.
  const k = defs.get('k')
  if (k && !out.has(k[0] ?? '') && !KUBECTL_PROGRAM.test(k[0] ?? '')) out.delete('k')
  return out
}

export async function readKubectlAliases(env: NodeJS.ProcessEnv, home: string): Promise<KubectlAliases> {
  const defs = new Map<string, string[]>()
  for (const file of rcFiles(env, home)) {
    const text = await readFile(file, 'utf8').catch(() => undefined)
    if (text === undefined) continue
    for (const [name, words] of parseAliasDefinitions(text)) defs.set(name, words)
  }
  return kubectlAliasesOf(defs)
}

/** The words of a command with its first word expanded, as the shell expands an alias. */
export function expandAlias(words: string[], aliases: KubectlAliases): string[] {
  let out = words
  const seen = new Set<string>()
  for (let depth = 0; depth < 8; depth++) {
    const first = out[0]
    if (first === undefined || seen.has(first)) break
    const expansion = aliases.get(first)
    if (!expansion) break
    seen.add(first)
    out = [...expansion, ...out.slice(1)]
  }
  return out
}
