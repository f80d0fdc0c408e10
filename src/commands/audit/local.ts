import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { Args, Flags } from '@oclif/core'
import { exitCodeFor } from '../../audit/findings.js'
import { confirmOnTty } from '../../audit/local/confirm.js'
import { RELOAD_COMMAND } from '../../audit/local/history.js'
import { homeDisplay, runLocalAudit } from '../../audit/local/run-local.js'
import { type ScrubResult, scrubHistory } from '../../audit/local/scrub.js'
import { type AuditOutputFlagValues, auditOutputFlags, failOnOf } from '../../audit/output-flags.js'
import { renderJson, renderTable } from '../../audit/report.js'
import { SafeSecretCommand } from '../../cli/base-command.js'
import { UsageError } from '../../errors/cli-error.js'

export default class AuditLocal extends SafeSecretCommand {
  static override summary = 'Find Secret manifests in a repository and Secret values in shell history.'
  static override description =
    `Scans PATH (default: the current directory) for YAML and JSON Secret manifests that carry data or stringData (multi-document files and List kinds included) and kustomize secretGenerator literals, respecting .gitignore. Then reads the bash, zsh and fish history files for kubectl commands that put a value on the command line (--from-literal, --docker-password, -p passwords, echo ... | base64 into kubectl).

Only file:line, key names and sizes are printed, never a value. --scrub-history removes the matching entries from the history files in place (atomically, keeping mode and owner, with no backup copy), after a confirmation on a terminal unless --yes is given.`
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
      throw new UsageError(`path "${args.path}" does not exist`)
    }
    const { report, histories } = await runLocalAudit({
      root: args.path,
      cwd,
      home,
      env: process.env,
      skipHistory: flags['no-history'],
    })
    const json = flags.output === 'json'
    const out = flags as AuditOutputFlagValues

    let scrubbed: (ScrubResult & { shell: string; reload: string })[] | undefined
    if (flags['scrub-history']) {
      const toScrub = histories.filter((h) => h.hits.length > 0)
      const total = toScrub.reduce((n, h) => n + h.hits.length, 0)
      scrubbed = []
      if (total > 0) {
        const display = homeDisplay(home)
        if (!json) process.stdout.write(renderTable(report))
        const files = toScrub.map((h) => display(h.file.path)).join(', ')
        const ok =
          flags.yes ||
          (await confirmOnTty(
            `Remove ${total} entr${total === 1 ? 'y' : 'ies'} holding Secret values from ${files}?`,
          ))
        if (!ok) {
          // As kubectl delete --interactive: a "no" is an answer, not an error.
          process.stderr.write('Nothing removed.\n')
          process.exitCode = exitCodeFor(report, failOnOf(out), out['fail-on-unknown'])
          return
        }
        for (const scan of toScrub) {
          const result = await scrubHistory(scan)
          scrubbed.push({
            ...result,
            path: display(scan.file.path),
            shell: scan.file.shell,
            reload: RELOAD_COMMAND[scan.file.shell],
          })
        }
        if (json) {
          process.stdout.write(renderJsonWithScrub(report, scrubbed))
        } else {
          for (const s of scrubbed) {
            process.stdout.write(
              `\nRemoved ${s.removed} entr${s.removed === 1 ? 'y' : 'ies'} from ${s.path}.\nIn every open ${s.shell} shell, run this so it does not write them back on exit:\n  ${s.reload}\n`,
            )
          }
          process.stdout.write('Rotate the values: they were readable in the history until now.\n')
        }
        process.exitCode = exitCodeFor(report, failOnOf(out), out['fail-on-unknown'])
        return
      }
    }
    if (json) {
      process.stdout.write(scrubbed ? renderJsonWithScrub(report, scrubbed) : renderJson(report))
    } else {
      process.stdout.write(renderTable(report))
      if (scrubbed) process.stdout.write('\nNo history entry holds a Secret value: nothing to scrub.\n')
    }
    process.exitCode = exitCodeFor(report, failOnOf(out), out['fail-on-unknown'])
  }
}

function renderJsonWithScrub(report: Parameters<typeof renderJson>[0], scrubbed: object[]): string {
  const doc = JSON.parse(renderJson(report)) as Record<string, unknown>
  doc.scrubbed = scrubbed
  return `${JSON.stringify(doc, null, 2)}\n`
}
