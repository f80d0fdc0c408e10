/**
 * What `keychain set|list|delete` do, without a terminal or a keychain of their
 * own: streams, prompter and keychain are injected (kubectl's Options pattern:
 * validate, then run), so tests drive the TTY and the piped case alike.
 */
import { UsageError } from '../errors/cli-error.js'
import { quoteEntryName } from '../errors/user-text.js'
import { rememberValue } from '../output/redaction-point.js'
import { canPrompt, type IOStreams, readStdin, trimOneTrailingNewline } from '../sources/io-streams.js'
import type { Prompter } from '../sources/prompter.js'
import type { KeychainBackend } from './backend.js'
import { describeEntry } from './errors.js'

export interface EntryName {
  service: string
  account: string
}

export interface KeychainDeps {
  io: IOStreams
  openKeychain: () => Promise<KeychainBackend>
}

/** Service and account must be non-empty; any other text (URLs, spaces, unicode) is fine. */
export function validateEntryName(service: string, account?: string): void {
  if (service === '') throw new UsageError('the service is empty')
  if (account !== undefined && account === '') throw new UsageError('the account is empty')
}

export interface SetEntryOptions extends EntryName {
  overwrite: boolean
  keepTrailingNewline: boolean
}

/**
 * Stores a value read from a hidden prompt (stdin and stderr are terminals)
 * or from piped stdin. It checks for an existing entry before asking, so no
 * one types a value only to have it refused.
 */
export async function setEntry(
  options: SetEntryOptions,
  deps: KeychainDeps & { prompter: Prompter },
): Promise<void> {
  validateEntryName(options.service, options.account)
  const prompting = canPrompt(deps.io)
  if (!prompting && deps.io.stdin.isTTY) {
    // Reading a terminal without the prompt would echo what is typed.
    throw new UsageError('cannot ask for the value: stdin is a terminal but stderr is not', {
      hint: 'keep stderr on the terminal, or pipe the value on stdin',
    })
  }
  const keychain = await deps.openKeychain()
  try {
    await keychain.set(
      options.service,
      options.account,
      async () => {
        const value = prompting
          ? await deps.prompter.secret(`Value for ${describeEntry(options.service, options.account)}:`)
          : await readPiped(deps.io, options.keepTrailingNewline)
        if (value.length === 0) {
          throw new UsageError('the value is empty: nothing was stored', {
            hint: 'pipe the value on stdin, or run in a terminal to be asked for it',
          })
        }
        rememberValue(value)
        return value
      },
      { overwrite: options.overwrite },
    )
  } finally {
    keychain.close()
  }
  deps.io.stdout.write(
    `keychain entry ${describeEntry(options.service, options.account)} ${options.overwrite ? 'stored' : 'created'}\n`,
  )
}

async function readPiped(io: IOStreams, keepTrailingNewline: boolean): Promise<Buffer> {
  const raw = await readStdin(io, 'the value')
  return keepTrailingNewline ? raw : trimOneTrailingNewline(raw)
}

/** Prints the accounts under a service, one a line: never a value. */
export async function listAccounts(service: string, deps: KeychainDeps): Promise<string[]> {
  validateEntryName(service)
  const keychain = await deps.openKeychain()
  let accounts: string[]
  try {
    accounts = await keychain.accounts(service)
  } finally {
    keychain.close()
  }
  if (accounts.length === 0)
    deps.io.stderr.write(`No keychain entries found for service ${quoteEntryName(service)}.\n`)
  for (const account of accounts) deps.io.stdout.write(`${account}\n`)
  return accounts
}

export interface DeleteEntryOptions extends EntryName {
  ignoreNotFound: boolean
}

export async function deleteEntry(options: DeleteEntryOptions, deps: KeychainDeps): Promise<boolean> {
  validateEntryName(options.service, options.account)
  const keychain = await deps.openKeychain()
  try {
    await keychain.delete(options.service, options.account)
  } catch (err) {
    if (options.ignoreNotFound && (err as { reason?: string }).reason === 'missing') return false
    throw err
  } finally {
    keychain.close()
  }
  deps.io.stdout.write(`keychain entry ${describeEntry(options.service, options.account)} deleted\n`)
  return true
}
