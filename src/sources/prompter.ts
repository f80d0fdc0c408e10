import { faultEnabled, slowPromptForTest } from '../cli/test-faults.js'
import { endTypeAhead } from '../cli/type-ahead.js'
import { InterruptedError } from '../errors/cli-error.js'
import type { IOStreams } from './io-streams.js'

/** Asks for hidden values. Injected, so tests can answer without a terminal. */
export interface Prompter {
  /** Reads a value with no echo. Ctrl-C throws InterruptedError. */
  secret(message: string): Promise<Buffer>
}

/**
 * The terminal prompter: inquirer's password prompt with no echo at all (no
 * mask characters either, so not even the length shows), the Ctrl+T "show"
 * toggle turned off, and the prompt written to stderr so stdout stays clean.
 */
export function terminalPrompter(io: IOStreams): Prompter {
  return {
    async secret(message: string): Promise<Buffer> {
      if (faultEnabled('slow-prompt')) await slowPromptForTest()
      // inquirer costs ~115 ms to import: only prompting pays for it.
      const { password } = await import('@inquirer/prompts')
      // Keys typed before this prompt were discarded, unseen (src/cli/type-ahead.ts).
      endTypeAhead()
      try {
        const answer = await password(
          {
            message,
            mask: false,
            toggleMask: false,
            validate: (v) => v.length > 0 || 'the value is empty: type it, or press Ctrl-C to cancel',
          },
          { input: io.stdin, output: io.stderr, clearPromptOnDone: false },
        )
        return Buffer.from(answer, 'utf8')
      } catch (err) {
        if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) {
          throw new InterruptedError()
        }
        throw err
      }
    },
  }
}
