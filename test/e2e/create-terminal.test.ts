import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  createNamespace,
  getSecret,
  listSecrets,
  requireSecret,
  secretBytes,
  uniqueName,
} from '../helpers/cluster-api.js'
import { pluginEnv } from '../helpers/plugin.js'
import { findViolations } from '../helpers/strace.js'
import { Terminal } from '../helpers/terminal.js'
import { marker, tempDir } from '../helpers/values.js'

const cluster = inject('cluster')

let ns: string
let terminal: Terminal | undefined
beforeAll(async () => {
  ns = await createNamespace(cluster, 'tty')
})
afterEach(() => {
  terminal?.close()
  terminal = undefined
})

function open(): { term: Terminal; dir: string } {
  const env = { ...pluginEnv(cluster), TERM: 'xterm-256color' } as Record<string, string>
  terminal = new Terminal(env)
  return { term: terminal, dir: tempDir('tty') }
}

describe('--from-prompt in a real terminal', () => {
  it('hides the value, asks twice with --confirm, keeps stdout clean, and stores what was typed', async () => {
    const { term, dir } = open()
    const name = uniqueName('typed')
    const value = marker('TYPED')
    term.start(`kubectl safe-secret create ${name} --from-prompt=password --confirm -n ${ns} > ${dir}/stdout`)
    await term.waitFor(/Value for password \(input hidden\):/)
    term.type(value)
    // Ctrl+T is inquirer's "show" toggle; it is turned off and must reveal nothing.
    term.press('C-t')
    await new Promise((r) => setTimeout(r, 300))
    expect(term.screen()).not.toContain(value)
    term.press('Enter')
    await term.waitFor(/again, to confirm:/)
    term.type(value)
    term.press('Enter')
    expect(await term.exitCode()).toBe(0)
    expect(term.screen()).not.toContain(value)
    expect(term.screen()).not.toContain('*'.repeat(value.length))
    expect(readFileSync(path.join(dir, 'stdout'), 'utf8')).toBe(`secret/${name} created\n`)
    expect(secretBytes(await requireSecret(cluster, ns, name), 'password')?.toString()).toBe(value)
  })

  it('Ctrl-C at the prompt exits 130 and creates nothing', async () => {
    const { term } = open()
    const name = uniqueName('cancel')
    term.start(`kubectl safe-secret create ${name} --from-prompt=password -n ${ns}`)
    await term.waitFor(/Value for password/)
    term.type('partial')
    term.press('C-c')
    expect(await term.exitCode()).toBe(130)
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
  })

  it('two different values with --confirm: an error, and nothing created', async () => {
    const { term } = open()
    const name = uniqueName('mismatch')
    const value = marker('TYPED')
    term.start(`kubectl safe-secret create ${name} --from-prompt=password --confirm -n ${ns}`)
    await term.waitFor(/Value for password/)
    term.type(value)
    term.press('Enter')
    await term.waitFor(/again, to confirm/)
    term.type(`${value}x`)
    term.press('Enter')
    expect(await term.exitCode()).toBe(1)
    const screen = term.screen()
    expect(screen).toContain('error: the two values typed for password do not match')
    expect(screen).not.toContain(value)
    expect((await listSecrets(cluster, ns)).some((s) => s.metadata.name === name)).toBe(false)
  })

  it('under strace, a typed value is read from the terminal and never written or passed on', async () => {
    const { term, dir } = open()
    const name = uniqueName('stty')
    const value = marker('TYPED')
    const log = path.join(dir, 'trace.log')
    term.start(
      `strace -f -qq -v -s 2000000 -e trace=execve,open,openat,creat,write,writev,pwrite64,sendto,sendmsg,rename,renameat,renameat2,unlink,unlinkat,truncate,ftruncate,read,pread64,readv,recvfrom,recvmsg -o ${log} kubectl safe-secret create ${name} --from-prompt=token -n ${ns}`,
    )
    await term.waitFor(/Value for token/)
    term.type(value)
    term.press('Enter')
    expect(await term.exitCode()).toBe(0)
    const lines = readFileSync(log, 'utf8').split('\n')
    expect(findViolations(lines, value)).toEqual([])
    expect(secretBytes(await requireSecret(cluster, ns, name), 'token')?.toString()).toBe(value)
  })
})
