import { isatty, type ReadStream } from 'node:tty'

/**
 * Keeps what is typed before a hidden prompt appears off the screen. Loading
 * the CLI and connecting can take seconds on a loaded machine; until the
 * prompt turns echo off, the terminal would echo every key. So, when the
 * command line can lead to a prompt and stdin and stderr are terminals, echo
 * goes off as the very first thing the process does (raw mode), and the keys
 * typed before the prompt appears are discarded, as getpass(3) and
 * readpassphrase(3) discard them (TCSAFLUSH): a value is only what is typed
 * after its prompt. Ctrl-C in that window exits 130, as at the prompt.
 * The terminal's mode is restored on exit; Node itself also restores it when
 * killed by SIGINT or SIGTERM.
 */

const ETX = 0x03 // Ctrl-C, which raw mode delivers as a byte instead of SIGINT

let release: (() => void) | undefined

/** Whether this command line may ask for a hidden value (cheap: argv only, before any parsing). */
export function mayPrompt(argv: string[]): boolean {
  if (argv.includes('--help') || argv.includes('-h')) return false
  if (argv.some((a) => a === '--from-prompt' || a.startsWith('--from-prompt='))) return true
  return argv.includes('keychain') && argv.includes('set')
}

/** Turns echo off now if a prompt may follow; true when it did. */
export function hideTypeAhead(argv: string[]): boolean {
  if (!mayPrompt(argv) || !isatty(0) || !isatty(2)) return false
  const stdin = process.stdin as ReadStream
  stdin.setRawMode(true)
  const discard = (chunk: Buffer) => {
    const interrupted = chunk.includes(ETX)
    chunk.fill(0)
    if (interrupted) {
      stdin.setRawMode(false)
      process.stderr.write('\n')
      process.exit(130)
    }
  }
  stdin.on('data', discard)
  // Reading must not keep the process alive: a command may end without prompting.
  stdin.unref()
  process.once('exit', () => {
    try {
      stdin.setRawMode(false)
    } catch {
      // stdin already closed: Node restores the saved terminal state itself at exit.
    }
  })
  release = () => {
    stdin.off('data', discard)
    stdin.pause()
    stdin.ref()
    release = undefined
  }
  return true
}

/**
 * Called by the prompter right before it shows a prompt: stops discarding and
 * hands stdin over, still without echo. A no-op when echo was never turned off.
 */
export function endTypeAhead(): void {
  release?.()
}
