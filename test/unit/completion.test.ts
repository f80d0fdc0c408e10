/**
 * The completion engine behind kubectl_complete-safe_secret, on a small manifest
 * shaped like oclif's: commands, topics, a command that is also a topic, flags
 * with short names, options and free-form values.
 */
import { describe, expect, it } from 'vitest'
import {
  complete,
  format,
  LOOKUP_TIMEOUT_MS,
  lookupTimeoutMs,
  main,
  shellScript,
} from '../../bin/completion.mjs'

const manifest = {
  commands: {
    create: {
      id: 'create',
      summary: 'Create a Secret.',
      flags: {
        'from-stdin': { name: 'from-stdin', type: 'option', description: 'Read a value.' },
        ttl: { name: 'ttl', type: 'option', description: 'Time to live.' },
        namespace: { name: 'namespace', char: 'n', type: 'option', description: 'Namespace.' },
        output: { name: 'output', char: 'o', type: 'option', options: ['json', 'yaml', 'name'] },
        immutable: { name: 'immutable', type: 'boolean', allowNo: true, description: 'Immutable.' },
        secret: { name: 'secret', type: 'boolean', hidden: true },
      },
    },
    audit: { id: 'audit', summary: 'Audit a cluster.', flags: {} },
    'audit:local': { id: 'audit:local', summary: 'Audit this machine.', flags: {} },
    'keychain:set': { id: 'keychain:set', summary: 'Store a value.', flags: {} },
    extend: {
      id: 'extend',
      summary: 'Move an expiry.',
      args: { name: { name: 'name', required: true } },
      // Connection flags carry their help group, as in the real manifest (src/kube/connection-flags.ts).
      flags: {
        namespace: { name: 'namespace', char: 'n', type: 'option', helpGroup: 'CONNECTION' },
        context: { name: 'context', type: 'option', helpGroup: 'CONNECTION' },
        kubeconfig: { name: 'kubeconfig', type: 'option', helpGroup: 'CONNECTION' },
        'as-group': { name: 'as-group', type: 'option', multiple: true, helpGroup: 'CONNECTION' },
        'insecure-skip-tls-verify': {
          name: 'insecure-skip-tls-verify',
          type: 'boolean',
          helpGroup: 'CONNECTION',
        },
        ttl: { name: 'ttl', type: 'option' },
      },
    },
    hidden: { id: 'hidden', hidden: true, flags: {} },
  },
}

const words = (...w: string[]) => complete(manifest, w).candidates.map((c: string) => c.split('\t')[0])

describe('completion', () => {
  it('lists commands and topics, not hidden ones, with descriptions', () => {
    const r = complete(manifest, [''])
    expect(r.candidates).toEqual([
      'audit\tAudit a cluster.',
      'create\tCreate a Secret.',
      'extend\tMove an expiry.',
      'help\tHelp about any command.',
      'keychain\tkeychain commands',
    ])
    expect(r.directive).toBe(4)
  })

  it('completes a prefix and the commands of a topic', () => {
    expect(words('cr')).toEqual(['create'])
    expect(words('keychain', '')).toEqual(['set'])
    expect(words('audit', '')).toEqual(['local'])
  })

  it('completes the command words after `help`, and no flags there', () => {
    expect(words('he')).toEqual(['help'])
    expect(words('help', '')).toEqual(['audit', 'create', 'extend', 'keychain'])
    expect(complete(manifest, ['help', 'extend', '']).lookup).toBeUndefined()
    expect(words('help', 'keychain', '')).toEqual(['set'])
    expect(words('help', 'create', '--')).toEqual([])
  })

  it('completes flags, short names and --no- forms, never hidden flags', () => {
    expect(words('create', '--')).toEqual([
      '--from-stdin',
      '--immutable',
      '--no-immutable',
      '--namespace',
      '--output',
      '--ttl',
      '--help',
    ])
    expect(words('create', '-')).toContain('-n')
    expect(words('create', '--i')).toEqual(['--immutable'])
  })

  it('completes the options of a flag, after a space, a short name or =', () => {
    expect(words('create', 'x', '--output', '')).toEqual(['json', 'yaml', 'name'])
    expect(words('create', 'x', '-o', 'y')).toEqual(['yaml'])
    expect(words('create', 'x', '--output=j')).toEqual(['--output=json'])
  })

  it('leaves free-form flag values to the shell (file completion)', () => {
    const r = complete(manifest, ['create', 'x', '--from-stdin', ''])
    expect(r.candidates).toEqual([])
    expect(r.directive).toBe(0)
  })

  it('prints what kubectl expects: one candidate a line, then :directive', () => {
    expect(format({ candidates: ['a\tA', 'b'], directive: 4 })).toBe('a\tA\nb\n:4\n')
  })

  it('has bash and zsh scripts that call the completion executable', () => {
    expect(shellScript('bash')).toContain('complete -o default -F _kubectl_safe_secret kubectl-safe_secret')
    expect(shellScript('zsh')).toContain('compdef _kubectl_safe_secret kubectl-safe_secret')
    expect(() => shellScript('fish')).toThrow(/unknown shell/)
  })

  it("describes a topic with help's own description", () => {
    const r = complete(manifest, ['k'], { keychain: { description: 'Store OS keychain entries.' } })
    expect(r.candidates).toEqual(['keychain\tStore OS keychain entries.'])
  })

  it('asks for live names for -n, --namespace=, --context, and with the connection flags typed so far', () => {
    expect(complete(manifest, ['extend', '--context', 'prod', '-n', 'te']).lookup).toEqual({
      kind: 'namespaces',
      flags: { context: 'prod' },
      partial: 'te',
      valuePrefix: '',
    })
    expect(complete(manifest, ['extend', '--kubeconfig=/k', '--namespace=x']).lookup).toMatchObject({
      kind: 'namespaces',
      flags: { kubeconfig: '/k' },
      partial: 'x',
      valuePrefix: '--namespace=',
    })
    expect(complete(manifest, ['extend', '--context', '']).lookup).toMatchObject({ kind: 'contexts' })
  })

  it('asks for Secret names for the NAME of extend and create --overwrite only, and only for the first argument', () => {
    expect(
      complete(manifest, ['extend', '-n', 'team', '--insecure-skip-tls-verify', '--as-group', 'g', 'd'])
        .lookup,
    ).toEqual({
      kind: 'secrets',
      managedOnly: true,
      flags: { namespace: 'team', 'insecure-skip-tls-verify': true, 'as-group': ['g'] },
      partial: 'd',
      valuePrefix: '',
    })
    expect(complete(manifest, ['extend', 'db', '']).lookup).toBeUndefined()
    expect(complete(manifest, ['create', '']).lookup).toBeUndefined()
    expect(complete(manifest, ['create', '--overwrite', '']).lookup).toMatchObject({
      kind: 'secrets',
      managedOnly: false,
    })
  })

  it('main fills in live names by prefix, and offers nothing when the lookup fails or is slow', async () => {
    const out = (): { text: string; write(s: string): void } => ({
      text: '',
      write(s: string) {
        this.text += s
      },
    })
    const ok = out()
    await main(manifest, ['extend', '-n', 'te'], ok, {
      live: async () => ({ lookupNames: async () => ['team-a', 'default', 'team-b'] }),
    })
    expect(ok.text).toBe('team-a\nteam-b\n:4\n')
    const failing = out()
    await main(manifest, ['extend', '-n', ''], failing, {
      live: async () => ({ lookupNames: async () => Promise.reject(new Error('refused')) }),
    })
    expect(failing.text).toBe(':4\n')
    const slow = out()
    await main(manifest, ['extend', '-n', ''], slow, {
      live: async () => ({ lookupNames: () => new Promise<string[]>(() => {}) }),
      timeoutMs: 50,
    })
    expect(slow.text).toBe(':4\n')
  })

  it('the lookup timeout may be raised from the environment, in seconds', () => {
    expect(lookupTimeoutMs({})).toBe(LOOKUP_TIMEOUT_MS)
    expect(lookupTimeoutMs({ KUBECTL_SAFE_SECRET_COMPLETION_TIMEOUT: '10' })).toBe(10_000)
    expect(lookupTimeoutMs({ KUBECTL_SAFE_SECRET_COMPLETION_TIMEOUT: 'soon' })).toBe(LOOKUP_TIMEOUT_MS)
  })
})
