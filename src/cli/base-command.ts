import { Command, Flags } from '@oclif/core'
import { presentError } from '../errors/present.js'
import { guardProcessOutput } from '../output/redaction-point.js'
import { markFailureReported } from './guard.js'

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

  /** Before anything is parsed or read: every byte printed from here on passes the redaction point. */
  override async init(): Promise<void> {
    guardProcessOutput()
    await super.init()
  }

  protected override async catch(err: Error & { code?: string }): Promise<void> {
    // this.exit(n) is oclif's way to end with a code (an ExitError), not a failure to present.
    if (err.code === 'EEXIT') throw err
    const command = ['kubectl safe-secret', ...(this.id ?? '').split(':')].join(' ').trim()
    const { text, exitCode } = presentError(err, this.argv.includes('--debug'), command)
    process.stderr.write(text)
    markFailureReported()
    process.exitCode = exitCode
  }
}
