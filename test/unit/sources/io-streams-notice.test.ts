import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readStdin } from '../../../src/sources/io-streams.js'

function streams(stderrIsTTY: boolean) {
  const stdin = new PassThrough()
  const stderr = Object.assign(new PassThrough(), { isTTY: stderrIsTTY })
  const written: string[] = []
  stderr.on('data', (c: Buffer) => written.push(c.toString()))
  return { io: { stdin, stdout: new PassThrough(), stderr }, stdin, written }
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('readStdin on a silent pipe', () => {
  it('says once what it waits for when nothing came, and stderr is a terminal', async () => {
    const { io, stdin, written } = streams(true)
    const reading = readStdin(io, '--from-stdin=token', 50)
    await tick(150)
    stdin.end('v')
    expect((await reading).toString()).toBe('v')
    expect(written.join('')).toBe(
      'waiting for --from-stdin=token on stdin: nothing has arrived yet (end the input, or press Ctrl-C to stop)\n',
    )
  })
  it('is silent when input arrives in time, or when stderr is not a terminal', async () => {
    const quick = streams(true)
    const reading = readStdin(quick.io, 'x', 100)
    quick.stdin.write('a')
    await tick(200)
    quick.stdin.end('b')
    expect((await reading).toString()).toBe('ab')
    expect(quick.written).toEqual([])

    const piped = streams(false)
    const r2 = readStdin(piped.io, 'x', 20)
    await tick(80)
    piped.stdin.end('v')
    await r2
    expect(piped.written).toEqual([])
  })
})
