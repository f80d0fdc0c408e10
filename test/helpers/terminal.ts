/**
 * A real terminal for prompt tests: a private tmux server (its own socket)
 * runs the command in a pane; tests type with send-keys and read the screen
 * with capture-pane, as a person would.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'

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
