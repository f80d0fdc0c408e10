import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../src/errors/cli-error.js'
import { deleteEntry, listAccounts, setEntry } from '../../../src/keychain/entry-commands.js'
import { KeychainError } from '../../../src/keychain/errors.js'
import type { Prompter } from '../../../src/sources/prompter.js'
import { fakeIO, MemoryKeychain } from './fakes.js'

function prompter(answer: string): Prompter & { asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    async secret(message: string) {
      asked.push(message)
      return Buffer.from(answer)
    },
  }
}

const base = {
  service: 'https://db.example.com:5432/x',
  account: 'admin',
  overwrite: false,
  keepTrailingNewline: false,
}

describe('keychain set', () => {
  it('reads piped stdin, trims one trailing newline, and never prompts', async () => {
    const keychain = new MemoryKeychain()
    const { io, stdout, stderr } = fakeIO({ stdin: 'piped-value\n' })
    const p = prompter('unused')
    await setEntry(base, { io, prompter: p, openKeychain: async () => keychain })
    expect((await keychain.get(base.service, base.account)).toString()).toBe('piped-value')
    expect(p.asked).toEqual([])
    expect(stdout()).toBe(`keychain entry service "${base.service}" account "admin" created\n`)
    expect(stdout() + stderr()).not.toContain('piped-value')
    expect(keychain.closed).toBe(1)
  })

  it('keeps the newline with --keep-trailing-newline and binary bytes exactly', async () => {
    const keychain = new MemoryKeychain()
    const bytes = Buffer.from([0xff, 0x00, 0x0a, 0x0a])
    const { io } = fakeIO({ stdin: Buffer.from(bytes) }) // readAll zeroes what it read
    await setEntry(
      { ...base, keepTrailingNewline: true },
      { io, prompter: prompter(''), openKeychain: async () => keychain },
    )
    expect((await keychain.get(base.service, base.account)).equals(bytes)).toBe(true)
  })

  it('asks with the hidden prompt when stdin and stderr are terminals', async () => {
    const keychain = new MemoryKeychain()
    const { io } = fakeIO({ stdinTTY: true, stderrTTY: true })
    const p = prompter('typed')
    await setEntry(base, { io, prompter: p, openKeychain: async () => keychain })
    expect(p.asked).toEqual([`Value for service "${base.service}" account "admin":`])
    expect((await keychain.get(base.service, base.account)).toString()).toBe('typed')
  })

  it('refuses to read a terminal without the prompt (stderr redirected): it would echo', async () => {
    const { io } = fakeIO({ stdinTTY: true, stderrTTY: false })
    const keychain = new MemoryKeychain()
    await expect(
      setEntry(base, { io, prompter: prompter('x'), openKeychain: async () => keychain }),
    ).rejects.toThrow(/stdin is a terminal but stderr is not/)
    expect(keychain.valuesRead).toBe(0)
  })

  it('refuses an existing entry without --overwrite before asking for anything', async () => {
    const keychain = new MemoryKeychain()
    await keychain.set(base.service, base.account, async () => Buffer.from('old'), { overwrite: false })
    const { io } = fakeIO({ stdinTTY: true, stderrTTY: true })
    const p = prompter('new')
    const err = await setEntry(base, { io, prompter: p, openKeychain: async () => keychain }).catch((e) => e)
    expect(err).toBeInstanceOf(KeychainError)
    expect(err.reason).toBe('exists')
    expect(err.hint).toMatch(/--overwrite/)
    expect(p.asked).toEqual([])
    expect((await keychain.get(base.service, base.account)).toString()).toBe('old')
    expect(keychain.closed).toBe(1)
  })

  it('replaces with --overwrite', async () => {
    const keychain = new MemoryKeychain()
    await keychain.set(base.service, base.account, async () => Buffer.from('old'), { overwrite: false })
    const { io } = fakeIO({ stdin: 'new' })
    await setEntry(
      { ...base, overwrite: true },
      { io, prompter: prompter(''), openKeychain: async () => keychain },
    )
    expect((await keychain.get(base.service, base.account)).toString()).toBe('new')
  })

  it('refuses an empty value', async () => {
    const keychain = new MemoryKeychain()
    const { io } = fakeIO({ stdin: '\n' })
    await expect(
      setEntry(base, { io, prompter: prompter(''), openKeychain: async () => keychain }),
    ).rejects.toThrow(UsageError)
    expect(await keychain.has(base.service, base.account)).toBe(false)
  })

  it('refuses an empty service or account before opening the keychain', async () => {
    let opened = false
    const open = async () => {
      opened = true
      return new MemoryKeychain()
    }
    const { io } = fakeIO({ stdin: 'v' })
    await expect(
      setEntry({ ...base, service: '' }, { io, prompter: prompter(''), openKeychain: open }),
    ).rejects.toThrow(/service is empty/)
    await expect(
      setEntry({ ...base, account: '' }, { io, prompter: prompter(''), openKeychain: open }),
    ).rejects.toThrow(/account is empty/)
    expect(opened).toBe(false)
  })
})

describe('keychain list', () => {
  it('prints accounts one a line, never values', async () => {
    const keychain = new MemoryKeychain()
    for (const a of ['zed', 'alice'])
      await keychain.set('svc', a, async () => Buffer.from(`value-of-${a}`), { overwrite: false })
    await keychain.set('other', 'bob', async () => Buffer.from('x'), { overwrite: false })
    const { io, stdout, stderr } = fakeIO()
    expect(await listAccounts('svc', { io, openKeychain: async () => keychain })).toEqual(['alice', 'zed'])
    expect(stdout()).toBe('alice\nzed\n')
    expect(stdout() + stderr()).not.toContain('value-of')
  })

  it('says so on stderr when there is none', async () => {
    const { io, stdout, stderr } = fakeIO()
    await listAccounts('svc', { io, openKeychain: async () => new MemoryKeychain() })
    expect(stdout()).toBe('')
    expect(stderr()).toBe('No keychain entries found for service "svc".\n')
  })
})

describe('keychain delete', () => {
  it('removes the entry, and fails naming service and account when it is gone', async () => {
    const keychain = new MemoryKeychain()
    await keychain.set('svc', 'a', async () => Buffer.from('v'), { overwrite: false })
    const { io, stdout } = fakeIO()
    await deleteEntry(
      { service: 'svc', account: 'a', ignoreNotFound: false },
      { io, openKeychain: async () => keychain },
    )
    expect(stdout()).toContain('deleted')
    expect(await keychain.has('svc', 'a')).toBe(false)
    await expect(
      deleteEntry(
        { service: 'svc', account: 'a', ignoreNotFound: false },
        { io, openKeychain: async () => keychain },
      ),
    ).rejects.toThrow('no keychain entry for service "svc" account "a"')
    expect(
      await deleteEntry(
        { service: 'svc', account: 'a', ignoreNotFound: true },
        { io, openKeychain: async () => keychain },
      ),
    ).toBe(false)
    expect(keychain.closed).toBe(3)
  })
})
