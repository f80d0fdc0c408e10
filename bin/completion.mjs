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

function summaryOf(entry) {
  const text = entry.summary ?? entry.description ?? ''
  return text.split('\n')[0].replace(/\s+/g, ' ').trim()
}

/**
 * @param {{commands: Record<string, any>}} manifest oclif manifest
 * @param {string[]} words the words after `safe-secret`; the last is being completed
 * @returns {{candidates: string[], directive: number}}
 */
export function complete(manifest, words) {
  // `help CMD...` completes the command words as if `help` were not there, without flags.
  if (words[0] === 'help' && words.length > 1) {
    const rest = complete(manifest, words.slice(1))
    const toComplete = words[words.length - 1] ?? ''
    if (toComplete.startsWith('-')) return { candidates: [], directive: Directive.NoFileComp }
    return { ...rest, candidates: rest.candidates.filter((c) => !c.startsWith('help\t')) }
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
      if (!next.has(word) || isLeaf) next.set(word, isLeaf ? summaryOf(c) : `${word} commands`)
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
  return { candidates: [], directive: Directive.NoFileComp }
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
 */
export function main(manifest, argv, out = process.stdout) {
  if (argv[0] === '--shell') {
    out.write(shellScript(argv[1] ?? 'bash'))
    return
  }
  out.write(format(complete(manifest, argv.length ? argv : [''])))
}
