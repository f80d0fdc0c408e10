/**
 * The scrub against a shell appending to the history while it runs: a separate
 * process appends one line per millisecond, some of them Secret commands, and
 * the history is scrubbed over and over meanwhile. Ground truth is a diff of the
 * file: every ordinary line the writer wrote is there, once, in order.
 * The writer takes zsh's $HISTFILE.LOCK around each write, as zsh does; it
 * either reopens the file for each line (`history -a`, INC_APPEND_HISTORY) or
 * holds one O_APPEND descriptor for its whole life.
 */
import { spawn } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { scanHistories } from '../../../src/audit/local/history.js'
import { scrubHistory } from '../../../src/audit/local/scrub.js'
import { tempDir } from '../../helpers/values.js'

const LINES = 600

/** The writer: appends `echo line N` (and every 7th line a Secret command) once per millisecond. */
const WRITER = `
const fs = require('node:fs')
const [file, mode, total] = [process.argv[1], process.argv[2], Number(process.argv[3])]
const lock = file + '.LOCK'
const held = mode === 'held' ? fs.openSync(file, 'a') : undefined
function locked(fn) {
  for (;;) {
    try { fs.symlinkSync('/writer.' + process.pid, lock); break } catch (e) { if (e.code !== 'EEXIST') throw e }
    const t = Date.now(); while (Date.now() - t < 1) {}
  }
  try { fn() } finally { fs.unlinkSync(lock) }
}
let i = 0
const timer = setInterval(() => {
  const line = i % 7 === 3
    ? 'kubectl create secret generic s' + i + ' --from-literal=pw=VALUE' + i + '\\n'
    : 'echo line ' + i + '\\n'
  locked(() => {
    if (held !== undefined) fs.writeSync(held, line)
    else fs.appendFileSync(file, line)
  })
  if (++i === total) { clearInterval(timer); if (held !== undefined) fs.closeSync(held) }
}, 1)
`

function startWriter(file: string, mode: 'held' | 'reopen') {
  const child = spawn(process.execPath, ['-e', WRITER, file, mode, String(LINES)], { stdio: 'inherit' })
  return new Promise<number | null>((resolve) => child.on('close', resolve))
}

describe.each(['reopen', 'held'] as const)('scrub under a concurrent appender (%s)', (mode) => {
  it('loses no line and leaves no Secret command that was there when it ran', async () => {
    const home = tempDir('scrub-race')
    const file = path.join(home, '.bash_history')
    const initial = [
      'echo before 1',
      'kubectl create secret generic a --from-literal=pw=OLD',
      'echo before 2',
    ]
    writeFileSync(file, `${initial.join('\n')}\n`, { mode: 0o600 })
    const ino = statSync(file).ino
    const done = startWriter(file, mode)
    let finished = false
    void done.then(() => {
      finished = true
    })
    let scrubs = 0
    let removed = 0
    while (!finished) {
      const [scan] = await scanHistories([{ shell: 'bash', path: file }])
      if (scan && scan.hits.length > 0) {
        removed += (await scrubHistory(scan)).removed
        scrubs++
      } else {
        await new Promise((r) => setTimeout(r, 2))
      }
    }
    expect(await done).toBe(0)
    const after = readFileSync(file, 'utf8').split('\n').slice(0, -1)
    const expected = ['echo before 1', 'echo before 2']
    for (let i = 0; i < LINES; i++) if (i % 7 !== 3) expected.push(`echo line ${i}`)
    // The diff: every ordinary line, once, in order; nothing else but Secret commands not yet scrubbed.
    expect(after.filter((l) => l.startsWith('echo '))).toEqual(expected)
    expect(
      after.filter((l) => !l.startsWith('echo ')).every((l) => l.startsWith('kubectl create secret')),
    ).toBe(true)
    expect(after).not.toContain(initial[1])
    // Several scrubs ran while the writer was writing, on the same inode, mode kept.
    expect(scrubs).toBeGreaterThan(3)
    expect(removed).toBeGreaterThan(3)
    expect(statSync(file).ino).toBe(ino)
    expect(statSync(file).mode & 0o777).toBe(0o600)
  }, 60_000)
})
