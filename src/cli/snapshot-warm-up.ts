import type { Command, Parser } from '@oclif/core'

/**
 * Run while the krew executable's V8 startup snapshot is being built (see
 * scripts/bundle.mjs --snapshot): the pure code every create runs first, so that
 * V8 compiles it then and keeps the bytecode in the snapshot instead of compiling
 * it lazily at each run. Parsing the kubeconfig (js-yaml, through client-node's
 * KubeConfig) and create's flags (oclif's parser): about 3% of the instructions
 * of a create.
 *
 * It reads no file, no environment variable and no stream, and keeps nothing:
 * the machine that builds the release leaves no trace in the snapshot.
 */

/** A kubeconfig shaped like a real one (long base64 data, a token), with no real data. */
const SAMPLE_KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '- name: sample',
  '  cluster:',
  '    server: https://127.0.0.1:6443',
  `    certificate-authority-data: ${Buffer.alloc(1024).toString('base64')}`,
  'users:',
  '- name: sample',
  '  user:',
  '    token: sample-token',
  'contexts:',
  '- name: sample',
  '  context:',
  '    cluster: sample',
  '    user: sample',
  '    namespace: default',
  'current-context: sample',
  '',
].join('\n')

/** A create command line without '-' (which would make oclif read stdin). */
const SAMPLE_CREATE_ARGV = ['sample', '--from-stdin=key', '-n', 'default', '--ttl', '1h']

/** Enough runs for V8 to compile every function the path reaches. */
const RUNS = 3

export interface WarmUpTargets {
  KubeConfig: new () => { loadFromString(text: string): void }
  parse: typeof Parser.parse
  create: Command.Class
}

export async function warmUpForSnapshot({ KubeConfig, parse, create }: WarmUpTargets): Promise<void> {
  for (let i = 0; i < RUNS; i++) {
    new KubeConfig().loadFromString(SAMPLE_KUBECONFIG)
    await parse(SAMPLE_CREATE_ARGV, {
      flags: { ...create.baseFlags, ...create.flags },
      args: create.args,
      strict: create.strict,
    })
  }
}
