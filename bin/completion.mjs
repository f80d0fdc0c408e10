/**
 * Shell completion for `kubectl safe-secret`, computed from the oclif manifest
 * alone (no oclif, no cluster): commands, topics, flags and flag options.
 *
 * kubectl >= 1.26 completes plugins by running `kubectl_complete-safe_secret`
 * with the words after the plugin name, the last one being the word under the
 * cursor (possibly ""). It expects one candidate per line (optionally
 * "candidate<TAB>description") and a last line ":<cobra directive>".
 */

/** Cobra's ShellCompDirective values. */
export const Directive = { Default: 0, NoSpace: 2, NoFileComp: 4 }

/** Flags whose values are names looked up live: in the kubeconfig, or in the cluster. */
const LIVE_FLAGS = { namespace: 'namespaces', context: 'contexts', cluster: 'clusters', user: 'users' }

/** Commands whose NAME argument is an existing Secret: managed ones for extend and revoke, any for rotate. */
const SECRET_NAME_COMMANDS = {
  extend: { managedOnly: true },
  revoke: { managedOnly: true },
  rotate: { managedOnly: false },
}

/** How long a live lookup may take before completion goes on without it. */
export const LOOKUP_TIMEOUT_MS = 4000
/** A slower cluster (a VPN, a loaded machine) may be given more, in seconds. */
export const LOOKUP_TIMEOUT_ENV = 'KUBECTL_SAFE_SECRET_COMPLETION_TIMEOUT'

/** The lookup timeout: the environment's, when it is a positive number of seconds, or the default. */
export function lookupTimeoutMs(env = process.env) {
  const seconds = Number(env[LOOKUP_TIMEOUT_ENV])
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : LOOKUP_TIMEOUT_MS
}

function summaryOf(entry) {
  const text = entry.summary ?? entry.description ?? ''
  return text.split('\n')[0].replace(/\s+/g, ' ').trim()
}

/**
 * @param {{commands: Record<string, any>}} manifest oclif manifest
 * @param {string[]} words the words after `safe-secret`; the last is being completed
 * @param {Record<string, {description?: string}>} [topics] package.json's oclif.topics, for their descriptions
 * @returns {{candidates: string[], directive: number, lookup?: object}} `lookup`: names to fetch live
 */
export function complete(manifest, words, topics = {}) {
  // `help CMD...` completes the command words as if `help` were not there, without flags.
  if (words[0] === 'help' && words.length > 1) {
    const rest = complete(manifest, words.slice(1), topics)
    const toComplete = words[words.length - 1] ?? ''
    if (toComplete.startsWith('-')) return { candidates: [], directive: Directive.NoFileComp }
    return { directive: rest.directive, candidates: rest.candidates.filter((c) => !c.startsWith('help\t')) }
  }
  const commands = Object.values(manifest.commands ?? {}).filter((c) => !c.hidden)
  const toComplete = words.length ? words[words.length - 1] : ''
  const before = words.slice(0, -1)

  // The command: the longest run of leading non-flag words that names one.
  const positional = []
  for (const w of before) {
    if (w.startsWith('-')) break
    positional.push(w)
  }
  let command
  let used = 0
  for (let n = positional.length; n > 0; n--) {
    const id = positional.slice(0, n).join(':')
    command = commands.find((c) => c.id === id || (c.aliases ?? []).includes(id))
    if (command) {
      used = n
      break
    }
  }

  // A command that is also a topic (`audit` and `audit local`): offer its subcommands too.
  const hasChildren = command && commands.some((c) => c.id.startsWith(`${command.id}:`))
  const lastIsFlag = before.length > used && before[before.length - 1]?.startsWith('-')
  if (hasChildren && used === positional.length && !lastIsFlag && !toComplete.startsWith('-')) {
    command = undefined
  }

  if (!command) {
    if (toComplete.startsWith('-')) {
      return { candidates: ['--help\tShow help.'], directive: Directive.NoFileComp }
    }
    // Next topic or command word after the words typed so far.
    const prefix = positional.join(':')
    const next = new Map()
    for (const c of commands) {
      const parts = c.id.split(':')
      if (prefix && !c.id.startsWith(`${prefix}:`)) continue
      const word = parts[positional.length]
      if (word === undefined || !word.startsWith(toComplete)) continue
      const isLeaf = parts.length === positional.length + 1
      const topicId = parts.slice(0, positional.length + 1).join(':')
      // A topic is described as help describes it.
      const topicText = summaryOf(topics[topicId] ?? {}) || `${word} commands`
      if (!next.has(word) || isLeaf) next.set(word, isLeaf ? summaryOf(c) : topicText)
    }
    if (positional.length === 0 && 'help'.startsWith(toComplete)) next.set('help', 'Help about any command.')
    const candidates = [...next.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([w, d]) => (d ? `${w}\t${d}` : w))
    return { candidates, directive: Directive.NoFileComp }
  }

  const flags = Object.values(command.flags ?? {}).filter((f) => !f.hidden)
  const byName = (name) => flags.find((f) => f.name === name)
  const byChar = (ch) => flags.find((f) => f.char === ch)

  // The value of an option flag: `--flag <TAB>`, `-n <TAB>` or `--flag=<TAB>`.
  const prev = before.length > used ? before[before.length - 1] : undefined
  let valueFlag
  let valuePrefix = ''
  let partial = toComplete
  const eq = toComplete.match(/^(--[^=]+)=(.*)$/)
  if (eq) {
    valueFlag = byName(eq[1].slice(2))
    valuePrefix = `${eq[1]}=`
    partial = eq[2]
  } else if (prev?.startsWith('--') && !prev.includes('=')) {
    valueFlag = byName(prev.slice(2))
  } else if (prev && /^-[^-]$/.test(prev)) {
    valueFlag = byChar(prev.slice(1))
  }
  if (valueFlag && valueFlag.type === 'option') {
    const kind = LIVE_FLAGS[valueFlag.name]
    if (kind) {
      const flags = connectionFlagsOf(before.slice(used), byName, byChar)
      return {
        candidates: [],
        directive: Directive.NoFileComp,
        lookup: { kind, flags, partial, valuePrefix },
      }
    }
    if (Array.isArray(valueFlag.options) && valueFlag.options.length) {
      const candidates = valueFlag.options
        .filter((o) => o.startsWith(partial))
        .map((o) => `${valuePrefix}${o}`)
      return { candidates, directive: Directive.NoFileComp }
    }
    // Free-form values (paths, names): let the shell complete files.
    return { candidates: [], directive: eq ? Directive.NoFileComp : Directive.Default }
  }

  if (toComplete.startsWith('-')) {
    const candidates = []
    for (const f of flags.sort((a, b) => a.name.localeCompare(b.name))) {
      const desc = summaryOf(f)
      const names = [`--${f.name}`]
      if (f.type === 'boolean' && f.allowNo) names.push(`--no-${f.name}`)
      if (f.char && toComplete.length <= 2 && !toComplete.startsWith('--')) names.unshift(`-${f.char}`)
      for (const n of names) if (n.startsWith(toComplete)) candidates.push(desc ? `${n}\t${desc}` : n)
    }
    if ('--help'.startsWith(toComplete)) candidates.push('--help\tShow help for this command.')
    return { candidates, directive: Directive.NoFileComp }
  }
  // The NAME of an existing Secret, as the first argument of extend, revoke, rotate and create --overwrite.
  const rest = before.slice(used)
  const nameLookup =
    SECRET_NAME_COMMANDS[command.id] ??
    (command.id === 'create' && rest.includes('--overwrite') ? { managedOnly: false } : undefined)
  if (nameLookup && positionalCount(rest, byName, byChar) === 0) {
    const flags = connectionFlagsOf(rest, byName, byChar)
    return {
      candidates: [],
      directive: Directive.NoFileComp,
      lookup: {
        kind: 'secrets',
        managedOnly: nameLookup.managedOnly,
        flags,
        partial: toComplete,
        valuePrefix: '',
      },
    }
  }
  return { candidates: [], directive: Directive.NoFileComp }
}

/** The flag a word names (`--name`, `--name=v`, `-c`), if the command has it. */
function flagOfWord(word, byName, byChar) {
  if (word.startsWith('--')) return byName(word.slice(2).split('=')[0])
  if (/^-[^-]/.test(word)) return byChar(word[1])
  return undefined
}

/** Words after the command that are arguments, not flags or flag values. */
function positionalCount(words, byName, byChar) {
  let count = 0
  for (let i = 0; i < words.length; i++) {
    const w = words[i]
    if (w === '--') return count + words.length - i - 1
    if (!w.startsWith('-')) {
      count++
      continue
    }
    const flag = flagOfWord(w, byName, byChar)
    if (flag?.type === 'option' && !w.includes('=') && !/^-[^-]./.test(w)) i++
  }
  return count
}

/** The connection flags typed so far, by long name: what a lookup connects with. */
function connectionFlagsOf(words, byName, byChar) {
  const flags = {}
  for (let i = 0; i < words.length; i++) {
    const w = words[i]
    const flag = flagOfWord(w, byName, byChar)
    // Every flag of src/kube/connection-flags.ts is in help group CONNECTION (complete-live.ts
    // overrides -v and --request-timeout for the lookup).
    if (flag?.helpGroup !== 'CONNECTION') continue
    let value
    if (flag.type === 'boolean') value = true
    else if (w.includes('=')) value = w.slice(w.indexOf('=') + 1)
    else if (/^-[^-]./.test(w)) value = w.slice(2)
    else value = words[++i]
    if (value === undefined) continue
    if (flag.multiple) flags[flag.name] = [...(flags[flag.name] ?? []), value]
    else flags[flag.name] = value
  }
  return flags
}

/** The output kubectl (and the shell scripts below) expect. */
export function format({ candidates, directive }) {
  return `${candidates.map((c) => `${c}\n`).join('')}:${directive}\n`
}

/** Completion scripts for calling `kubectl-safe_secret` directly (without kubectl). */
export function shellScript(shell) {
  if (shell === 'bash') {
    return `# bash completion for kubectl-safe_secret (run directly, without kubectl).
# kubectl itself completes \`kubectl safe-secret\` through kubectl_complete-safe_secret.
_kubectl_safe_secret() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" out directive line
  out=$(kubectl_complete-safe_secret "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return
  directive=\${out##*:}
  COMPREPLY=()
  while IFS= read -r line; do
    [[ -z $line || $line == :* ]] && continue
    COMPREPLY+=("\${line%%$'\\t'*}")
  done <<<"$out"
  if (( \${#COMPREPLY[@]} == 0 )) && (( (directive & 4) == 0 )); then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o default -F _kubectl_safe_secret kubectl-safe_secret
`
  }
  if (shell === 'zsh') {
    return `#compdef kubectl-safe_secret
# zsh completion for kubectl-safe_secret (run directly, without kubectl).
# kubectl itself completes \`kubectl safe-secret\` through kubectl_complete-safe_secret.
_kubectl_safe_secret() {
  local -a lines comps
  local out directive line
  out=$(kubectl_complete-safe_secret "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
  lines=("\${(@f)out}")
  directive=\${lines[-1]#:}
  for line in "\${(@)lines[1,-2]}"; do
    [[ -z $line ]] && continue
    comps+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
  done
  if (( \${#comps} )); then
    _describe 'kubectl safe-secret' comps
  elif (( (directive & 4) == 0 )); then
    _files
  fi
}
compdef _kubectl_safe_secret kubectl-safe_secret
`
  }
  throw new Error(`unknown shell ${shell}: use bash or zsh`)
}

/**
 * The completion executable's main: `kubectl_complete-safe_secret WORDS...`,
 * or `kubectl_complete-safe_secret --shell bash|zsh` for the scripts above.
 * `options.topics`: package.json's oclif.topics; `options.live`: loads the
 * module with `lookupNames(lookup)` (src/cli/complete-live.ts). A lookup that
 * fails or takes longer than the timeout (LOOKUP_TIMEOUT_MS, or the environment's
 * KUBECTL_SAFE_SECRET_COMPLETION_TIMEOUT in seconds) offers nothing, silently.
 */
export async function main(manifest, argv, out = process.stdout, options = {}) {
  if (argv[0] === '--shell') {
    out.write(shellScript(argv[1] ?? 'bash'))
    return
  }
  const result = complete(manifest, argv.length ? argv : [''], options.topics)
  if (result.lookup && options.live) {
    const { partial, valuePrefix } = result.lookup
    const names = await withTimeout(
      options.live().then((m) => m.lookupNames(result.lookup)),
      options.timeoutMs ?? lookupTimeoutMs(),
    ).catch(() => [])
    result.candidates = names.filter((n) => n.startsWith(partial)).map((n) => `${valuePrefix}${n}`)
  }
  out.write(format(result))
}

function withTimeout(promise, ms) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
