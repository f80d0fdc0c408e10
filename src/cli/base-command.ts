import { Command, Flags } from '@oclif/core'
import { presentError } from '../errors/present.js'

/**
 * The base of every command: a --debug flag and one error path, so that every
 * failure ends as a one-line message and a kubectl-like exit code.
 */
export abstract class SafeSecretCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({
      description: 'Print stack traces with errors.',
      helpGroup: 'GLOBAL',
    }),
  }

  protected override async catch(err: Error & { oclif?: { exit?: number } }): Promise<void> {
    // oclif's own exit requests (this.exit, --help, --version) pass through untouched.
    if (
      err.oclif?.exit !== undefined &&
      !err.message.match(/^(Nonexistent|Unexpected|Expected|Missing|Parsing)/)
    ) {
      throw err
    }
    const { text, exitCode } = presentError(err, this.argv.includes('--debug'))
    process.stderr.write(text)
    process.exitCode = exitCode
  }
}
