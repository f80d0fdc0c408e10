import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { Args, Flags } from '@oclif/core'
import { exitCodeFor } from '../../audit/findings.js'
import { confirmOnTty } from '../../audit/local/confirm.js'
import { runLocalAudit } from '../../audit/local/run-local.js'
import { printLocalAudit } from '../../audit/local/scrub-flow.js'
import { type AuditOutputFlagValues, auditOutputFlags, failOnOf } from '../../audit/output-flags.js'
import { SafeSecretCommand } from '../../cli/base-command.js'
import { UsageError } from '../../errors/cli-error.js'
import { quotePath } from '../../errors/user-text.js'

export default class AuditLocal extends SafeSecretCommand {
  static override summary = 'Find Secret manifests in a repository and Secret values in shell history.'
  static override description =
    `Scans PATH (default: the current directory) for YAML and JSON Secret manifests that carry data or stringData (multi-document files and List kinds included) and kustomize secretGenerator literals, respecting .gitignore, and the same in the git history of every ref (reported as commit and path). Then reads the bash, zsh and fish history files for kubectl commands (also typed as k or an alias from the shell's rc files) that put a value on the command line (--from-literal, --docker-password, -p passwords, echo ... | base64 into kubectl).

Only file:line, key names and sizes are printed, never a value. --scrub-history removes the matching entries from the history files in place, under the shell's lock (zsh's $HISTFILE.LOCK and flock), keeping lines a shell appends meanwhile, the mode and the owner, with no backup copy; it asks for a confirmation on a terminal unless --yes is given.`
  static override examples = [
    'kubectl safe-secret audit local',
    'kubectl safe-secret audit local ./deploy --no-history -o json --fail-on high',
    'kubectl safe-secret audit local --scrub-history',
  ]

  static override args = {
    path: Args.string({ description: 'Directory (or file) to scan for Secret manifests.', default: '.' }),
  }

  static override flags = {
    ...auditOutputFlags,
    'scrub-history': Flags.boolean({
      description: 'Remove the history entries that hold Secret values from the history files.',
    }),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation before --scrub-history.' }),
    'no-history': Flags.boolean({ description: 'Do not read shell history (scan PATH only).' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(AuditLocal)
    // Validate before reading anything: a scrub needs a yes from somewhere.
    if (flags['scrub-history'] && flags['no-history']) {
      throw new UsageError('--scrub-history and --no-history cannot be used together')
    }
    if (flags['scrub-history'] && !flags.yes && !process.stdin.isTTY) {
      throw new UsageError('--scrub-history asks for confirmation, but standard input is not a terminal', {
        hint: 'pass --yes to remove the entries without asking',
      })
    }
    const home = process.env.HOME || homedir()
    const cwd = process.cwd()
    if (!existsSync(path.resolve(cwd, args.path))) {
      throw new UsageError(`PATH ${quotePath(args.path, true)} does not exist`)
    }
    const { report, histories } = await runLocalAudit({
      root: args.path,
      cwd,
      home,
      env: process.env,
      skipHistory: flags['no-history'],
    })
    const out = flags as AuditOutputFlagValues
    await printLocalAudit(
      report,
      histories,
      { scrub: flags['scrub-history'], yes: flags.yes, json: flags.output === 'json', home },
      {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
        confirm: confirmOnTty,
      },
    )
    process.exitCode = exitCodeFor(report, failOnOf(out), out['fail-on-unknown'])
  }
}
