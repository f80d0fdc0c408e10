/**
 * A small POSIX-shell word splitter, enough to read commands back from history:
 * quotes, backslash escapes, and the operators that end a simple command. It
 * never evaluates anything. Heredoc bodies stay in the text after `<<WORD`.
 */

export type ShellToken = { kind: 'word'; text: string; quoted: boolean } | { kind: 'op'; text: string }

const OPERATORS = ['&&', '||', ';;', '|&', '|', ';', '&', '\n']

export function splitShellWords(input: string): ShellToken[] {
  const tokens: ShellToken[] = []
  let word = ''
  let inWord = false
  let quoted = false
  const flush = () => {
    if (inWord) tokens.push({ kind: 'word', text: word, quoted })
    word = ''
    inWord = false
    quoted = false
  }
  let i = 0
  while (i < input.length) {
    const c = input[i] as string
    if (c === '\\') {
      if (input[i + 1] === '\n') {
        i += 2 // line continuation
        continue
      }
      word += input[i + 1] ?? ''
      inWord = true
      i += 2
      continue
    }
    if (c === "'" || (c === '$' && input[i + 1] === "'")) {
      const start = c === '$' ? i + 2 : i + 1
      const end = input.indexOf("'", start)
      const stop = end === -1 ? input.length : end
      word += input.slice(start, stop)
      inWord = true
      quoted = true
      i = stop + 1
      continue
    }
    if (c === '"') {
      i++
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length && '"\\$`\n'.includes(input[i + 1] as string)) {
          if (input[i + 1] !== '\n') word += input[i + 1]
          i += 2
          continue
        }
        word += input[i]
        i++
      }
      inWord = true
      quoted = true
      i++
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      flush()
      i++
      continue
    }
    if (c === '#' && !inWord) {
      // A comment runs to the end of the line.
      const nl = input.indexOf('\n', i)
      i = nl === -1 ? input.length : nl
      continue
    }
    const op = OPERATORS.find((o) => input.startsWith(o, i))
    if (op) {
      flush()
      tokens.push({ kind: 'op', text: op })
      i += op.length
      continue
    }
    word += c
    inWord = true
    i++
  }
  flush()
  return tokens
}

export interface SimpleCommand {
  words: string[]
  /** The operator that ends this command: `|` means its output feeds the next one. */
  end?: string
}

/** Splits tokens into simple commands at every operator. */
export function simpleCommands(tokens: ShellToken[]): SimpleCommand[] {
  const out: SimpleCommand[] = []
  let words: string[] = []
  for (const t of tokens) {
    if (t.kind === 'word') {
      words.push(t.text)
      continue
    }
    out.push({ words, end: t.text })
    words = []
  }
  out.push({ words })
  return out.filter((c) => c.words.length > 0)
}
