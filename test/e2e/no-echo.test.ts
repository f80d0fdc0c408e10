/**
 * A value typed in the wrong place is never printed back. The cases come from
 * oclif.manifest.json itself, so a new command, flag or argument is covered
 * without anyone remembering to: every flag of every command gets a
 * password-like marker as `--flag=V` and `--flag V` (and `-c V` for its short
 * form), every argument gets it as a positional, and so does an unknown flag.
 * Each case runs the real binary through kubectl; the marker's random part must
 * appear in neither stdout nor stderr.
 *
 * The kubeconfig points at a port nothing listens on, so no command waits on a
 * server; keychain commands talk to the test keyring (with empty stdin, nothing
 * is stored).
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Command, Interfaces } from '@oclif/core'
import { describe, expect, inject, it } from 'vitest'
import { freePort } from '../cluster/control-plane.js'
import { kubectl, type RunResult, repoRoot } from '../helpers/plugin.js'
import { tempDir } from '../helpers/values.js'

const cluster = inject('cluster')
const keyring = inject('keyring')
const manifest = JSON.parse(
  readFileSync(path.join(repoRoot, 'oclif.manifest.json'), 'utf8'),
) as Interfaces.Manifest

interface Case {
  /** The marker's random part: what must not be printed. */
  secret: string
  argv: string[]
}

/** `P@ss!<random>/w0rd+==`: not a name, not a path, not a flag name, as a password would be. */
function markedValue(): { secret: string; value: string } {
  const secret = randomBytes(8).toString('hex')
  return { secret, value: `P@ss!${secret}/w0rd+==` }
}

/** A valid stand-in for each argument, so that the marker is what the command trips on. */
function placeholder(arg: Command.Arg.Cached): string {
  if (arg.options?.length) return arg.options[0] as string
  return arg.name === 'path' ? '.' : 'sample'
}

/** Flags whose description starts "With --tls: ..." only count with that flag. */
function companions(flag: Command.Flag.Cached): string[] {
  const needs = /^With (--[a-z-]+)/.exec(flag.description ?? '')
  return needs ? [needs[1] as string] : []
}

/** What a command needs besides the marker to get past its first check. */
const BASE: Record<string, string[]> = {
  create: ['--from-env=k=SOME_VARIABLE'],
  rotate: ['--from-env=k=SOME_VARIABLE'],
}

function casesFor(id: string, command: Command.Cached): Case[] {
  const words = id.split(':')
  const args = Object.values(command.args).map(placeholder)
  const base = BASE[id] ?? []
  const cases: Case[] = []
  for (const flag of Object.values(command.flags)) {
    const withFlag = [...words, ...args, ...base, ...companions(flag)]
    const forms: ((v: string) => string[])[] = [(v) => [`--${flag.name}=${v}`], (v) => [`--${flag.name}`, v]]
    if (flag.char) forms.push((v) => [`-${flag.char}`, v])
    for (const form of forms) {
      const { secret, value } = markedValue()
      cases.push({ secret, argv: [...withFlag, ...form(value)] })
    }
  }
  // Each argument in turn, and one more than the command takes.
  for (let i = 0; i <= args.length; i++) {
    const { secret, value } = markedValue()
    const positional = [...args]
    positional[i] = value
    cases.push({ secret, argv: [...words, ...positional, ...base] })
  }
  const asFlag = markedValue()
  cases.push({ secret: asFlag.secret, argv: [...words, ...args, ...base, `--${asFlag.value}`] })
  const unknown = markedValue()
  cases.push({
    secret: unknown.secret,
    argv: [...words, ...args, ...base, `--no-such-flag=${unknown.value}`],
  })
  return cases
}

/** Runs `work` over `items`, `size` at a time: the machine is shared, start-up dominates. */
async function pool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: size }, worker))
  return results
}

async function refusingKubeconfig(): Promise<string> {
  const dir = tempDir('no-echo')
  const file = path.join(dir, 'kubeconfig')
  const port = await freePort()
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: refused\n  cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}`,
      'users:',
      '- name: someone\n  user: {token: not-a-real-token}',
      'contexts:',
      '- name: refused\n  context: {cluster: refused, user: someone, namespace: default}',
      'current-context: refused',
      '',
    ].join('\n'),
  )
  return file
}

describe('no error, warning or output repeats a value typed in the wrong place', () => {
  const commands = Object.entries(manifest.commands)

  it('covers every command of the manifest', () => {
    expect(commands.length).toBeGreaterThan(10)
    for (const [id, command] of commands) {
      const cases = casesFor(id, command)
      const flags = Object.values(command.flags)
      const expected =
        flags.length * 2 + flags.filter((f) => f.char).length + Object.keys(command.args).length + 3
      expect(cases.length, id).toBe(expected)
    }
  })

  for (const [id, command] of commands) {
    it(`${id.replace(/:/g, ' ')}: every flag and argument`, async () => {
      const kubeconfig = await refusingKubeconfig()
      const cwd = tempDir('no-echo-cwd')
      const home = path.join(cwd, 'home')
      mkdirSync(home)
      const env = {
        KUBECONFIG: kubeconfig,
        SOME_VARIABLE: 'a-value-from-the-environment',
        ...(id.startsWith('keychain') ? keyring.env : {}),
        HOME: home,
      }
      const cases = casesFor(id, command)
      const results = await pool(cases, 4, (c) =>
        kubectl(cluster, ['safe-secret', ...c.argv], { env, cwd, timeoutMs: 60_000 }),
      )
      const echoed = cases
        .map((c, i) => ({ c, r: results[i] as RunResult }))
        .filter(({ c, r }) => `${r.stdout}${r.stderr}`.includes(c.secret))
        .map(
          ({ c, r }) =>
            `${JSON.stringify(c.argv)}\n  ${`${r.stdout}${r.stderr}`.trim().replace(/\n/g, '\n  ')}`,
        )
      expect(echoed, 'these command lines printed the marker back').toEqual([])
      // Every case ran to its end: none hung until killed.
      for (const [i, r] of results.entries()) expect(r.signal, JSON.stringify(cases[i]?.argv)).toBeNull()
    }, 600_000)
  }
})
