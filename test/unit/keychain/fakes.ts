import { PassThrough } from 'node:stream'
import type { KeychainBackend } from '../../../src/keychain/backend.js'
import { entryExists, entryMissing } from '../../../src/keychain/errors.js'
import type { IOStreams } from '../../../src/sources/io-streams.js'

/** An in-memory keychain that records what it was asked. */
export class MemoryKeychain implements KeychainBackend {
  readonly name = 'memory'
  readonly entries = new Map<string, Buffer>()
  closed = 0
  valuesRead = 0

  private id(service: string, account: string) {
    return JSON.stringify([service, account])
  }

  async get(service: string, account: string) {
    const v = this.entries.get(this.id(service, account))
    if (!v) throw entryMissing(service, account)
    return Buffer.from(v)
  }
  async has(service: string, account: string) {
    return this.entries.has(this.id(service, account))
  }
  async set(service: string, account: string, readValue: () => Promise<Buffer>, o: { overwrite: boolean }) {
    if (!o.overwrite && (await this.has(service, account))) throw entryExists(service, account)
    const value = await readValue()
    this.valuesRead++
    this.entries.set(this.id(service, account), Buffer.from(value))
    value.fill(0)
  }
  async delete(service: string, account: string) {
    if (!this.entries.delete(this.id(service, account))) throw entryMissing(service, account)
  }
  async accounts(service: string) {
    return [...this.entries.keys()]
      .map((k) => JSON.parse(k) as [string, string])
      .filter(([s]) => s === service)
      .map(([, a]) => a)
      .sort()
  }
  close() {
    this.closed++
  }
}

export function fakeIO(options: { stdin?: string | Buffer; stdinTTY?: boolean; stderrTTY?: boolean } = {}) {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean }
  stdin.isTTY = options.stdinTTY
  if (options.stdin !== undefined) stdin.end(options.stdin)
  else if (!options.stdinTTY) stdin.end()
  const out: Buffer[] = []
  const err: Buffer[] = []
  const stdout = new PassThrough()
  const stderr = new PassThrough() as PassThrough & { isTTY?: boolean }
  stderr.isTTY = options.stderrTTY
  stdout.on('data', (c: Buffer) => out.push(c))
  stderr.on('data', (c: Buffer) => err.push(c))
  const io: IOStreams = { stdin, stdout, stderr }
  return {
    io,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
  }
}
