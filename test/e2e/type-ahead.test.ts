/**
 * Keys typed before a hidden prompt appears are never echoed, and never become
 * the value: the CLI turns echo off as its first act (src/cli/type-ahead.ts) and
 * discards what was typed until the prompt shows, as getpass(3) does. The
 * test-only fault `slow-prompt` holds the prompt back 8 s, as a loaded machine
 * does, and the keys are typed in that window, in a real terminal (tmux).
 */
import { execFileSync } from 'node:child_process'
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { createNamespace, getSecret, requireSecret, secretBytes, uniqueName } from '../helpers/cluster-api.js'
import { pluginEnv } from '../helpers/plugin.js'
import { Terminal } from '../helpers/terminal.js'
import { marker } from '../helpers/values.js'

const cluster = inject('cluster')
const keyring = inject('keyring')
const PROMPT = /Value for password \(input hidden\):/

let ns: string
let terminal: Terminal | undefined
beforeAll(async () => {
  ns = await createNamespace(cluster, 'typeahead')
})
afterEach(() => {
  terminal?.close()
  terminal = undefined
})

function open(extraEnv: Record<string, string> = {}): Terminal {
  terminal = new Terminal({
    ...pluginEnv(cluster),
    ...extraEnv,
    TERM: 'xterm-256color',
    SAFE_SECRET_TEST_FAULT: 'slow-prompt',
  } as Record<string, string>)
  return terminal
}

/**
 * Waits until the plugin runs (kubectl has exec'd node), then until it has turned
 * echo off, at most 2.5 s more: well within the 8 s the fault holds the prompt
 * back, so without the fix the keys are typed while the terminal still echoes.
 */
async function untilEchoOff(term: Terminal): Promise<void> {
  const sleep = () => new Promise((r) => setTimeout(r, 20))
  const started = Date.now() + 30_000
  // Node 24 names its main thread, so the process's comm is MainThread (node before).
  const isNode = (comm: string) => comm === 'node' || comm === 'MainThread'
  while (Date.now() < started && !term.children().some(isNode)) await sleep()
  const deadline = Date.now() + 2_500
  while (Date.now() < deadline && !term.echoIsOff()) await sleep()
}

describe('type-ahead before a hidden prompt', () => {
  it('is not echoed, and is discarded: the value is what is typed after the prompt', async () => {
    const term = open()
    const name = uniqueName('ahead')
    const typedAhead = marker('AHEAD')
    const value = marker('VALUE')
    term.start(`kubectl safe-secret create ${name} --from-prompt=password -n ${ns}`)
    await untilEchoOff(term)
    term.type(typedAhead)
    term.press('Enter')
    await new Promise((r) => setTimeout(r, 500))
    const before = term.screen()
    // Typed before the prompt (held back 8 s), and not on the screen.
    expect(before).not.toMatch(PROMPT)
    expect(before).not.toContain(typedAhead)
    await term.waitFor(PROMPT)
    term.type(value)
    term.press('Enter')
    expect(await term.exitCode()).toBe(0)
    expect(term.screen()).not.toContain(typedAhead)
    expect(term.screen()).not.toContain(value)
    expect(secretBytes(await requireSecret(cluster, ns, name), 'password')?.toString()).toBe(value)
    // The terminal is given back as it was.
    expect(term.echoIsOff()).toBe(false)
  })

  it('Ctrl-C before the prompt exits 130, creates nothing and gives the terminal back', async () => {
    const term = open()
    const name = uniqueName('ahead-cancel')
    term.start(`kubectl safe-secret create ${name} --from-prompt=password -n ${ns}`)
    await untilEchoOff(term)
    term.press('C-c')
    expect(await term.exitCode()).toBe(130)
    expect(term.screen()).not.toMatch(PROMPT)
    expect(term.echoIsOff()).toBe(false)
    expect(term.settings()).toMatch(/(^|\s)icanon(\s|$)/)
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
  })

  it('an error before the prompt gives the terminal back, echo on', async () => {
    const term = open()
    term.start(
      `kubectl safe-secret create ${uniqueName('ahead-err')} --from-prompt=password --expires-at not-a-time -n ${ns}`,
    )
    expect(await term.exitCode()).toBe(1)
    expect(term.screen()).toMatch(/--expires-at/)
    expect(term.echoIsOff()).toBe(false)
    expect(term.settings()).toMatch(/(^|\s)icanon(\s|$)/)
  })

  it('keychain set: the same, and the keychain holds what was typed after the prompt', async () => {
    const term = open(keyring.env)
    const service = uniqueName('typeahead.example.com')
    const typedAhead = marker('AHEAD')
    const value = marker('VALUE')
    term.start(`kubectl safe-secret keychain set ${service} operator`)
    await untilEchoOff(term)
    term.type(typedAhead)
    term.press('Enter')
    await new Promise((r) => setTimeout(r, 500))
    expect(term.screen()).not.toMatch(/Value for service/)
    expect(term.screen()).not.toContain(typedAhead)
    await term.waitFor(/Value for service/)
    term.type(value)
    term.press('Enter')
    expect(await term.exitCode()).toBe(0)
    expect(term.screen()).not.toContain(typedAhead)
    const stored = execFileSync('secret-tool', ['lookup', 'service', service, 'account', 'operator'], {
      env: { ...process.env, ...keyring.env },
      encoding: 'utf8',
    })
    expect(stored).toBe(value)
  })
})
