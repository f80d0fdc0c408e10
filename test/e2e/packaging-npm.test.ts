/**
 * The npm package as users get it: `npm pack` (which bundles the CLI with
 * esbuild through `prepack`), `npm i -g` of the tarball into a temporary
 * prefix, then `kubectl safe-secret` through the real kubectl, with only that
 * prefix on PATH and no access to the repository's node_modules or sources.
 */
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { createNamespace, getSecret, uniqueName } from '../helpers/cluster-api.js'
import { installOclifUserPlugin } from '../helpers/oclif-user-plugin.js'
import { repoRoot, run } from '../helpers/plugin.js'
import { marker } from '../helpers/values.js'

const cluster = inject('cluster')
const work = mkdtempSync(path.join(tmpdir(), 'safe-secret-npm-'))
const prefix = path.join(work, 'prefix')
const packageDir = path.join(prefix, 'lib', 'node_modules', 'kubectl-safe-secret')
let tarball = ''

function env(extraPath: string[] = []) {
  return {
    PATH: [
      path.join(prefix, 'bin'),
      ...extraPath,
      cluster.binDir,
      path.dirname(process.execPath),
      '/usr/bin',
      '/bin',
    ].join(':'),
    HOME: mkdtempSync(path.join(work, 'home-')),
    KUBECONFIG: cluster.kubeconfig,
    LANG: 'C.UTF-8',
  }
}

/** Runs a command from a directory outside the repository, with a clean environment. */
function runInstalled(cmd: string, args: string[], extraPath: string[] = []) {
  return run(cmd, args, { env: env(extraPath), cleanEnv: true, cwd: work })
}

beforeAll(() => {
  const out = execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  tarball = path.join(work, out.trim().split('\n').pop() ?? '')
  // Dependencies come from npm's cache when they are there (CI ran `npm ci`).
  // keytar is optional and native: leaving it out keeps the install fast and offline-safe.
  execFileSync(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      tarball,
      '--prefer-offline',
      '--omit=optional',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] },
  )
}, 300_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

describe('npm package', () => {
  it('contains the bundle, the executables and nothing else', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''))
    expect(listing).toContain('package.json')
    expect(listing).toContain('bin/kubectl-safe_secret')
    expect(listing).toContain('bin/kubectl_complete-safe_secret')
    expect(listing).toContain('dist/bundle/kubectl-safe_secret.mjs')
    expect(listing).toContain('dist/bundle/oclif.manifest.json')
    expect(listing).toContain('dist/bundle/THIRD_PARTY_NOTICES')
    const unexpected = listing.filter(
      (f) =>
        !/^(package\.json|README\.md|LICENSE|bin\/(kubectl-safe_secret|kubectl_complete-safe_secret|completion\.mjs)|dist\/bundle\/(.+\.(mjs|json)|THIRD_PARTY_NOTICES))$/.test(
          f,
        ),
    )
    expect(unexpected).toEqual([])
    expect(listing.filter((f) => /\.map$|^test\/|^src\/|\.cluster|\.ts$/.test(f))).toEqual([])
  })

  it('installs without the sources, so the bundle runs', () => {
    expect(existsSync(path.join(packageDir, 'dist', 'bundle', 'kubectl-safe_secret.mjs'))).toBe(true)
    expect(existsSync(path.join(packageDir, 'src'))).toBe(false)
    // The bundled dependencies' licences are installed with the bundle.
    const notices = readFileSync(path.join(packageDir, 'dist', 'bundle', 'THIRD_PARTY_NOTICES'), 'utf8')
    expect(notices).toMatch(/^Package: @oclif\/core \S+\nLicense: MIT$/m)
    expect(readdirSync(path.join(prefix, 'bin'))).toContain('kubectl-safe_secret')
  })

  it('runs `kubectl safe-secret --help` through the real kubectl', async () => {
    const res = await runInstalled(path.join(cluster.binDir, 'kubectl'), ['safe-secret', '--help'])
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('kubectl safe-secret [command] [options]')
    expect(res.stdout).toContain('whoami')
  })

  it('runs a command that talks to the cluster from the lazy chunks', async () => {
    const res = await runInstalled(path.join(cluster.binDir, 'kubectl'), [
      'safe-secret',
      'whoami',
      '-o',
      'json',
    ])
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    const me = JSON.parse(res.stdout) as { username: string; server: string }
    expect(me.server).toBe(cluster.server)
    expect(me.username).not.toBe('')
  })

  it("never loads oclif's user plugins", async () => {
    const home = mkdtempSync(path.join(work, 'home-'))
    const plugin = installOclifUserPlugin(home)
    const res = await run(path.join(cluster.binDir, 'kubectl'), ['safe-secret', 'whoami'], {
      env: { ...env(), HOME: home },
      cleanEnv: true,
      cwd: work,
    })
    expect(res.code, res.stderr).toBe(0)
    expect(plugin.ran()).toBe(false)
  })

  it('authenticates with client certificates and exec plugins, as the development build does', async () => {
    // The bundle carries client-node's KubeConfig without its generated API client
    // (scripts/bundle.mjs kubeConfigOnly): every kind of credential must still work.
    const plugin = path.join(work, 'credential-plugin')
    writeFileSync(
      plugin,
      `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${cluster.tokens.limited}"}}'\n`,
    )
    chmodSync(plugin, 0o755)
    const kc = parse(readFileSync(cluster.kubeconfig, 'utf8'))
    kc.users.push(
      {
        name: 'cert',
        user: { 'client-certificate': cluster.clientCert.certFile, 'client-key': cluster.clientCert.keyFile },
      },
      {
        name: 'exec',
        user: {
          exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' },
        },
      },
    )
    kc.contexts.push(
      { name: 'cert', context: { cluster: 'local', user: 'cert' } },
      { name: 'exec', context: { cluster: 'local', user: 'exec' } },
    )
    const kubeconfig = path.join(work, 'kubeconfig')
    writeFileSync(kubeconfig, stringify(kc))
    const whoami = async (context: string) => {
      const res = await runInstalled(path.join(cluster.binDir, 'kubectl'), [
        'safe-secret',
        'whoami',
        '-o',
        'json',
        '--kubeconfig',
        kubeconfig,
        '--context',
        context,
      ])
      expect(res.stderr).toBe('')
      return JSON.parse(res.stdout) as { username: string }
    }
    expect((await whoami('cert')).username).toBe(cluster.clientCert.user)
    expect((await whoami('exec')).username).toBe('limited')
    expect((await whoami('admin')).username).toBe('admin')
  })

  it("keeps V8's compile cache in the user's cache dir, with code and never a value", async () => {
    // bin/kubectl-safe_secret turns on module.enableCompileCache() for the bundle.
    const home = mkdtempSync(path.join(work, 'home-cache-'))
    const value = marker('CACHE')
    const namespace = await createNamespace(cluster, 'npm-cache')
    const name = uniqueName('compile-cache')
    const kubectl = path.join(cluster.binDir, 'kubectl')
    const runWithHome = (args: string[], stdin?: string) =>
      run(kubectl, ['safe-secret', ...args], {
        env: { ...env(), HOME: home },
        cleanEnv: true,
        cwd: work,
        stdin,
      })
    const created = await runWithHome(['create', name, '-n', namespace, '--from-stdin=token'], value)
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    expect((await runWithHome(['list', '-n', namespace])).code).toBe(0)
    const secret = await getSecret(cluster, namespace, name)
    expect(Buffer.from(secret?.data?.token ?? '', 'base64').toString()).toBe(value)

    const cacheDir = path.join(home, '.cache', 'kubectl-safe-secret', 'compile-cache')
    const files = (readdirSync(cacheDir, { recursive: true }) as string[])
      .map((f) => path.join(cacheDir, f))
      .filter((f) => statSync(f).isFile())
    expect(files.length).toBeGreaterThan(0)
    const forms = [value, Buffer.from(value).toString('base64').replace(/=+$/, '')]
    for (const f of files) {
      const bytes = readFileSync(f)
      for (const form of forms) expect(bytes.includes(form), `${f} holds the value`).toBe(false)
    }
  })

  it('completes commands through kubectl with the packaged completion executable', async () => {
    // npm links only the package.json "bin" entries; put the package's bin/ on PATH as a user would.
    const res = await runInstalled(
      path.join(cluster.binDir, 'kubectl'),
      ['__complete', 'safe-secret', 'who'],
      [path.join(packageDir, 'bin')],
    )
    expect(res.code).toBe(0)
    const lines = res.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^whoami\t/)
    expect(lines.at(-1)).toBe(':4')
  })
})
