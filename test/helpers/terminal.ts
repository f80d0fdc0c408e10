/**
 * A real terminal for prompt tests: a private tmux server (its own socket)
 * runs the command in a pane; tests type with send-keys and read the screen
 * with capture-pane, as a person would.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'

export class Terminal {
  private readonly socket = `safe-secret-${randomBytes(4).toString('hex')}`

  constructor(private readonly env: Record<string, string>) {}

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { env: this.env, encoding: 'utf8' })
  }

  /** Starts `command` in a shell; when it ends, the pane shows `EXIT=<code>` and stays open. */
  start(command: string): void {
    this.tmux([
      'new-session',
      '-d',
      '-s',
      'main',
      '-x',
      '200',
      '-y',
      '50',
      `${command}; echo EXIT=$?; sleep 600`,
    ])
  }

  /** Types text literally (never through a shell, so never in any argv but tmux's own). */
  type(text: string): void {
    this.tmux(['send-keys', '-t', 'main', '-l', text])
  }

  press(key: string): void {
    this.tmux(['send-keys', '-t', 'main', key])
  }

  /** The terminal's line settings as `stty -a` prints them (e.g. to see whether echo is on: `echo` or `-echo`). */
  settings(): string {
    const tty = this.tmux(['display-message', '-p', '-t', 'main', '#{pane_tty}']).trim()
    return execFileSync('stty', ['-a', '-F', tty], { encoding: 'utf8' })
  }

  /** The names of the processes the pane's shell runs (`node` once kubectl has exec'd the plugin). */
  children(): string[] {
    const shell = this.tmux(['display-message', '-p', '-t', 'main', '#{pane_pid}']).trim()
    let pids: string[]
    try {
      pids = execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).split('\n').filter(Boolean)
    } catch {
      return [] // pgrep exits 1 when there is none
    }
    return pids.flatMap((pid) => {
      try {
        return [readFileSync(`/proc/${pid}/comm`, 'utf8').trim()]
      } catch {
        return []
      }
    })
  }

  echoIsOff(): boolean {
    return /(^|\s)-echo(\s|$)/.test(this.settings())
  }

  screen(): string {
    return this.tmux(['capture-pane', '-p', '-t', 'main', '-S', '-200'])
  }

  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs
    let last = ''
    while (Date.now() < deadline) {
      last = this.screen()
      if (pattern.test(last)) return last
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`terminal never showed ${pattern}; screen:\n${last}`)
  }

  async exitCode(timeoutMs = 60_000): Promise<number> {
    const screen = await this.waitFor(/EXIT=\d+/, timeoutMs)
    return Number(/EXIT=(\d+)/.exec(screen)?.[1])
  }

  close(): void {
    try {
      this.tmux(['kill-server'])
    } catch {
      // already gone
    }
  }
}
