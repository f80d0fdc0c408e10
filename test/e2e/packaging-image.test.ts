/**
 * The reaper image as a cluster would run it. `npm run release:image` builds
 * the OCI image archive; this test unpacks it with plain tar (the index, the
 * manifest, then each layer in order, as a runtime does), checks what it holds,
 * then runs the CronJob's own command in the unpacked root filesystem:
 * chroot as user 65532, in new mount and PID namespaces, the root file system
 * read-only (readOnlyRootFilesystem), /proc and /dev mounted as a runtime would,
 * a ServiceAccount token from the TokenRequest API for the ServiceAccount that
 * `reaper install` created, with ca.crt and namespace, mounted at
 * /var/run/secrets/kubernetes.io/serviceaccount, and KUBERNETES_SERVICE_HOST/PORT
 * pointing at the test API server. It reaps the expired Secret and nothing else.
 */
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { DEFAULT_REAPER_IMAGE, DEFAULT_REAPER_NAME } from '../../src/expiry/reaper-manifests.js'
import { adminRequest } from '../cluster/control-plane.js'
import { createNamespace, getSecret } from '../helpers/cluster-api.js'
import { repoRoot, run, safeSecret } from '../helpers/plugin.js'

const cluster = inject('cluster')
const work = mkdtempSync(path.join(tmpdir(), 'safe-secret-image-'))
const releaseDir = path.join(work, 'release')
const layout = path.join(work, 'layout')
const rootfs = path.join(work, 'rootfs')
const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string
}
const imageFile = path.join(releaseDir, `kubectl-safe-secret_v${version}_linux_amd64.oci.tar`)
const SA_DIR = 'var/run/secrets/kubernetes.io/serviceaccount'

interface Descriptor {
  mediaType: string
  digest: string
  size: number
  annotations?: Record<string, string>
}
interface ImageConfig {
  architecture: string
  os: string
  config: { User: string; Env: string[]; Entrypoint: string[]; Cmd: string[]; WorkingDir: string }
  rootfs: { diff_ids: string[] }
  history: { created_by: string }[]
}

let index: { manifests: Descriptor[] }
let manifest: { layers: Descriptor[]; config: Descriptor }
let config: ImageConfig
const layerListings: string[][] = []

const blob = (digest: string) => path.join(layout, 'blobs', ...digest.split(':'))

/** Every regular file and link of the root filesystem, as /paths. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name), `${prefix}/${e.name}`) : [`${prefix}/${e.name}`],
  )
}

beforeAll(() => {
  execFileSync(
    process.execPath,
    [path.join(repoRoot, 'scripts', 'release-image.mjs'), '--outdir', releaseDir],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  mkdirSync(layout)
  mkdirSync(rootfs)
  execFileSync('tar', ['-xf', imageFile, '-C', layout])
  index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8'))
  const [entry] = index.manifests
  if (!entry) throw new Error('index.json lists no manifest')
  manifest = JSON.parse(readFileSync(blob(entry.digest), 'utf8'))
  config = JSON.parse(readFileSync(blob(manifest.config.digest), 'utf8'))
  for (const layer of manifest.layers) {
    layerListings.push(
      execFileSync('tar', ['-tzf', blob(layer.digest)], { encoding: 'utf8' })
        .trim()
        .split('\n'),
    )
    execFileSync('tar', ['-xzf', blob(layer.digest), '-C', rootfs, '--same-owner', '--numeric-owner'])
  }
}, 900_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

describe('reaper image', () => {
  it('is an OCI image layout tagged with the version, for linux/amd64', () => {
    expect(JSON.parse(readFileSync(path.join(layout, 'oci-layout'), 'utf8'))).toEqual({
      imageLayoutVersion: '1.0.0',
    })
    expect(index.manifests).toHaveLength(1)
    expect(index.manifests[0]?.annotations?.['org.opencontainers.image.ref.name']).toBe(`v${version}`)
    expect([config.os, config.architecture]).toEqual(['linux', 'amd64'])
    // Two layers: the Debian libraries (which change rarely), then the executable.
    expect(manifest.layers).toHaveLength(2)
    expect(config.rootfs.diff_ids).toHaveLength(2)
    expect(config.history.map((h) => h.created_by)).toEqual([
      expect.stringMatching(/^base:/),
      expect.stringMatching(/^app:/),
    ])
  })

  it('runs kubectl-safe_secret as user 65532, and the CronJob finds it on PATH', () => {
    expect(config.config.User).toBe('65532:65532')
    expect(config.config.Entrypoint).toEqual(['/usr/local/bin/kubectl-safe_secret'])
    expect(config.config.Env).toContain('PATH=/usr/local/bin:/usr/bin:/bin')
    expect(readFileSync(path.join(rootfs, 'etc/passwd'), 'utf8')).toMatch(
      /^nonroot:x:65532:65532:nonroot:\/home\/nonroot:\/sbin\/nologin$/m,
    )
  })

  it('holds the executable, the shared libraries it links, their Debian copyright files, and no shell', () => {
    const files = walk(rootfs).sort()
    expect(files.filter((f) => /\/(sh|bash|dash|busybox|apt|dpkg)$/.test(f))).toEqual([])
    expect(files).toContain('/usr/local/bin/kubectl-safe_secret')
    const libraries = files.filter((f) => /\.so[.\d]*$/.test(f)).map((f) => path.basename(f))
    expect(libraries.sort()).toEqual(
      [
        'ld-linux-x86-64.so.2',
        'ld-linux-x86-64.so.2',
        'libc.so.6',
        'libdl.so.2',
        'libgcc_s.so.1',
        'libm.so.6',
        'libpthread.so.0',
        'libstdc++.so.6',
        'libstdc++.so.6.0.30',
      ].sort(),
    )
    for (const pkg of ['libc6', 'libstdc++6', 'libgcc-s1']) {
      expect(files).toContain(`/usr/share/doc/${pkg}/copyright`)
      expect(readFileSync(path.join(rootfs, 'var/lib/dpkg/status.d', pkg), 'utf8')).toMatch(
        new RegExp(`^Package: ${pkg.replace('+', '\\+')}$`, 'm'),
      )
    }
    for (const doc of ['LICENSE', 'LICENSE-node', 'THIRD_PARTY_NOTICES'])
      expect(files).toContain(`/usr/share/doc/kubectl-safe-secret/${doc}`)
    expect(
      readFileSync(path.join(rootfs, 'usr/share/doc/kubectl-safe-secret/THIRD_PARTY_NOTICES'), 'utf8'),
    ).toMatch(/^Package: @oclif\/core /m)
    // The executable is in the second layer only; the first one holds no executable of ours.
    expect(layerListings[1]).toContain('usr/local/bin/kubectl-safe_secret')
    expect(layerListings[0]?.some((f) => f.includes('kubectl-safe_secret'))).toBe(false)
    // No whiteouts: the layers only add.
    expect(layerListings.flat().filter((f) => path.basename(f).startsWith('.wh.'))).toEqual([])
  })

  it('comes out byte for byte the same when built again from the same executable', () => {
    const again = path.join(work, 'again')
    const archive = path.join(releaseDir, `kubectl-safe-secret_v${version}_linux_amd64.tar.gz`)
    execFileSync(
      process.execPath,
      [path.join(repoRoot, 'scripts', 'release-image.mjs'), '--outdir', again, '--archive', archive],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
    )
    expect(readFileSync(path.join(again, path.basename(imageFile))).equals(readFileSync(imageFile))).toBe(
      true,
    )
  }, 300_000)

  it('is the image `reaper install` uses by default: the one released for this version', () => {
    expect(DEFAULT_REAPER_IMAGE).toBe(`ghcr.io/kubectl-safe-secret/kubectl-safe-secret:v${version}`)
  })

  it('reaps the expired Secret, and nothing else, when run as the CronJob runs it', async () => {
    const ns = await createNamespace(cluster, 'image')
    const other = await createNamespace(cluster, 'image-other')
    const install = await safeSecret(cluster, ['reaper', 'install', '-n', ns, '--scope', 'namespace'])
    expect(install.stderr).toBe('')
    expect(install.code).toBe(0)
    const cron = JSON.parse(
      (await adminRequest(cluster, 'GET', `/apis/batch/v1/namespaces/${ns}/cronjobs/${DEFAULT_REAPER_NAME}`))
        .body,
    )
    const pod = cron.spec.jobTemplate.spec.template.spec
    const container = pod.containers[0]
    expect(container.image).toBe(DEFAULT_REAPER_IMAGE)
    expect(pod.securityContext.runAsUser).toBe(65532)
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true)

    // What the kubelet mounts for the pod's ServiceAccount.
    const tokenRes = await adminRequest(
      cluster,
      'POST',
      `/api/v1/namespaces/${ns}/serviceaccounts/${pod.serviceAccountName}/token`,
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } },
    )
    expect(tokenRes.status).toBe(201)
    const sa = path.join(work, 'serviceaccount')
    mkdirSync(sa)
    writeFileSync(path.join(sa, 'token'), JSON.parse(tokenRes.body).status.token)
    copyFileSync(cluster.caFile, path.join(sa, 'ca.crt'))
    writeFileSync(path.join(sa, 'namespace'), ns)
    for (const f of readdirSync(sa)) chmodSync(path.join(sa, f), 0o644)

    const past = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z')
    const future = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z')
    const managed = { 'app.kubernetes.io/managed-by': 'kubectl-safe-secret' }
    const expiresAt = 'kubectl-safe-secret.io/expires-at'
    const seed = async (namespace: string, name: string, labels: object, annotations: object) => {
      const res = await adminRequest(cluster, 'POST', `/api/v1/namespaces/${namespace}/secrets`, {
        metadata: { name, labels, annotations },
        data: { k: Buffer.from('v').toString('base64') },
      })
      expect(res.status).toBe(201)
    }
    await seed(ns, 'expired', managed, { [expiresAt]: past })
    await seed(ns, 'not-yet', managed, { [expiresAt]: future })
    await seed(ns, 'not-ours', {}, { [expiresAt]: past })
    await seed(other, 'expired-elsewhere', managed, { [expiresAt]: past })

    // Mount points a runtime would fill; then the pod's view of the image.
    for (const dir of [SA_DIR, 'proc', 'dev']) mkdirSync(path.join(rootfs, dir), { recursive: true })
    for (const dev of ['null', 'zero', 'random', 'urandom']) writeFileSync(path.join(rootfs, 'dev', dev), '')
    const script = [
      'set -e',
      'R=$1; SA=$2; shift 2',
      'mount --bind "$R" "$R"',
      `mount --bind "$SA" "$R/${SA_DIR}"`,
      `mount -o remount,bind,ro "$R/${SA_DIR}"`,
      'mount -t proc proc "$R/proc"',
      'for d in null zero random urandom; do mount --bind /dev/$d "$R/dev/$d"; done',
      'mount -o remount,bind,ro "$R"',
      'exec /usr/sbin/chroot --userspec=65532:65532 "$R" "$@"',
    ].join('\n')
    const port = new URL(cluster.server).port
    const res = await run(
      'unshare',
      [
        '--mount',
        '--pid',
        '--fork',
        '/bin/sh',
        '-c',
        script,
        'pod',
        rootfs,
        sa,
        ...container.command,
        ...container.args,
      ],
      {
        cleanEnv: true,
        // The image's environment, and what the kubelet adds for the API server.
        env: {
          ...Object.fromEntries(config.config.Env.map((e) => e.split(/=(.*)/s).slice(0, 2))),
          KUBERNETES_SERVICE_HOST: '127.0.0.1',
          KUBERNETES_SERVICE_PORT: port,
        },
        timeoutMs: 120_000,
      },
    )
    expect(res.stderr).toMatch(/reaped 1 expired secret\(s\); 2 managed scanned/)
    expect(res.stdout).toBe(`secret "expired" deleted from ${ns} namespace\n`)
    expect(res.code).toBe(0)
    expect(await getSecret(cluster, ns, 'expired')).toBeUndefined()
    expect(await getSecret(cluster, ns, 'not-yet')).toBeDefined()
    expect(await getSecret(cluster, ns, 'not-ours')).toBeDefined()
    expect(await getSecret(cluster, other, 'expired-elsewhere')).toBeDefined()
    // The image wrote nothing: its root was read-only, and it still is as built.
    expect(existsSync(path.join(rootfs, 'home', 'nonroot', '.cache'))).toBe(false)
  })
})
