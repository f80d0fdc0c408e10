/**
 * What makes a shell command leak a Secret into history: a value typed on the
 * kubectl command line, or piped into kubectl from echo. Each rule returns the
 * flag that carried the value and, where the command names them, key names:
 * never the value itself.
 */
import { secretJsonKeys } from '../secret-json.js'
import { DEFAULT_ALIASES, expandAlias, KUBECTL_PROGRAM, type KubectlAliases } from './kubectl-aliases.js'
import { type SimpleCommand, simpleCommands, splitShellWords } from './shell-words.js'

export interface HistoryMatch {
  /** The flag or construct that carried the value: `--from-literal`, `--docker-password`, `-p`, `echo | base64`. */
  flag: string
  /** Key names the command gave the values, when it names them. */
  keys: string[]
}

const KUBECTL = KUBECTL_PROGRAM

/** A value that is only a variable or command substitution put nothing secret in the history. */
function isReference(value: string): boolean {
  return /^\$(\{?[A-Za-z_][A-Za-z0-9_]*\}?|\(.*\))$/s.test(value.trim())
}

/** The value of `--flag=value` or `--flag value` at index i, or undefined. */
function flagValue(words: string[], i: number, flag: string): string | undefined {
  const w = words[i] as string
  if (w === flag) return words[i + 1]
  if (w.startsWith(`${flag}=`)) return w.slice(flag.length + 1)
  return undefined
}

function kubectlIndex(words: string[]): number {
  return words.findIndex((w) => KUBECTL.test(w))
}

function kubectlMatches(cmd: SimpleCommand): HistoryMatch[] {
  const k = kubectlIndex(cmd.words)
  if (k === -1) return []
  const args = cmd.words.slice(k + 1)
  const dashDash = args.indexOf('--')
  const own = dashDash === -1 ? args : args.slice(0, dashDash)
  const after = dashDash === -1 ? [] : args.slice(dashDash + 1)
  const positional = own.filter((w) => !w.startsWith('-'))
  const matches: HistoryMatch[] = []
  const literalKeys: string[] = []
  for (let i = 0; i < own.length; i++) {
    const lit = flagValue(own, i, '--from-literal')
    if (lit !== undefined) {
      const eq = lit.indexOf('=')
      const key = eq === -1 ? lit : lit.slice(0, eq)
      const value = eq === -1 ? '' : lit.slice(eq + 1)
      if (value !== '' && !isReference(value)) literalKeys.push(key)
    }
    for (const flag of ['--docker-password', '--password', '--token']) {
      const v = flagValue(own, i, flag)
      if (v !== undefined && v !== '' && !isReference(v) && !matches.some((m) => m.flag === flag)) {
        matches.push({ flag, keys: [] })
      }
    }
  }
  if (literalKeys.length > 0) matches.unshift({ flag: '--from-literal', keys: literalKeys })

  // `kubectl patch secret NAME -p '{"data":...}'`: the patch body holds the data.
  if (positional[0] === 'patch' && /^secrets?$|^secrets?\//.test(positional[1] ?? '')) {
    for (let i = 0; i < own.length; i++) {
      const v = flagValue(own, i, '-p') ?? flagValue(own, i, '--patch')
      if (v !== undefined && v !== '' && !isReference(v)) {
        matches.push({ flag: '-p', keys: secretJsonKeys(v) ?? [] })
        break
      }
    }
  }
  // `kubectl exec POD -- mysql -pPASSWORD`: a password glued to -p, the classic client style.
  for (const w of after) {
    if (/^-p.+/.test(w) && !isReference(w.slice(2))) {
      matches.push({ flag: '-p', keys: [] })
      break
    }
    const pw = /^--password=(.+)$/.exec(w)
    if (pw && !isReference(pw[1] as string)) {
      matches.push({ flag: '--password', keys: [] })
      break
    }
  }
  return matches
}

/** `echo VALUE | base64 | ...kubectl` or `echo VALUE | kubectl ...`: the value is in the echo. */
function pipeMatches(cmds: SimpleCommand[]): HistoryMatch[] {
  const out: HistoryMatch[] = []
  for (let i = 0; i < cmds.length; i++) {
    const cmd = cmds[i] as SimpleCommand
    const prog = cmd.words[0]
    if ((prog !== 'echo' && prog !== 'printf') || cmd.end !== '|') continue
    const values = cmd.words.slice(1).filter((w) => !/^-[neE]+$/.test(w))
    if (values.length === 0 || values.every(isReference)) continue
    // Follow the pipeline: through base64 (encoding, not decoding) into kubectl.
    let j = i + 1
    let viaBase64 = false
    while (j < cmds.length) {
      const next = cmds[j] as SimpleCommand
      if (
        next.words[0] === 'base64' &&
        !next.words.some((w) => w === '-d' || w === '--decode' || w === '-D')
      ) {
        viaBase64 = true
        if (next.end !== '|') break
        j++
        continue
      }
      if (kubectlIndex(next.words) !== -1) {
        out.push({ flag: viaBase64 ? `${prog} | base64` : `${prog} |`, keys: [] })
      }
      break
    }
  }
  return out
}

/** `kubectl apply -f - <<EOF` with a Secret manifest carrying data in the heredoc. */
function heredocMatches(command: string, cmds: SimpleCommand[]): HistoryMatch[] {
  if (!/<<-?\s*['"]?\w+/.test(command)) return []
  if (!cmds.some((c) => kubectlIndex(c.words) !== -1)) return []
  if (!/^\s*kind:\s*["']?Secret["']?\s*$/m.test(command)) return []
  const keys: string[] = []
  const lines = command.split('\n')
  let inData = false
  let indent = -1
  for (const line of lines) {
    if (/^\s*(data|stringData):\s*$/.test(line)) {
      inData = true
      indent = -1
      continue
    }
    if (!inData) continue
    const m = /^(\s+)([A-Za-z0-9._-]+):/.exec(line)
    if (m && (indent === -1 || (m[1] as string).length === indent)) {
      indent = (m[1] as string).length
      keys.push(m[2] as string)
    } else if (!/^\s+/.test(line)) {
      inData = false
    }
  }
  return keys.length > 0 ? [{ flag: 'heredoc Secret manifest', keys }] : []
}

/**
 * Every way `command` (one history entry, possibly multi-line) put a Secret
 * value in the history. `aliases`: the names that mean kubectl (`k`, and the
 * rc files' aliases), expanded as the shell expands them.
 */
export function matchSecretCommand(
  command: string,
  aliases: KubectlAliases = DEFAULT_ALIASES,
): HistoryMatch[] {
  const names = [...aliases.keys()].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const quick = new RegExp(`kubectl|\\boc\\b${names.map((n) => `|(^|[\\s|;&(])${n}\\s`).join('')}`)
  if (!quick.test(command)) return []
  const cmds = simpleCommands(splitShellWords(command)).map((c) => ({
    ...c,
    words: expandAlias(c.words, aliases),
  }))
  return [...cmds.flatMap(kubectlMatches), ...pipeMatches(cmds), ...heredocMatches(command, cmds)]
}
