/**
 * THIRD_PARTY_NOTICES for a bundle: every npm package whose code esbuild put
 * in the output (its metafile says which input files contributed bytes), with
 * its version, its declared licence and the licence texts it ships (LICENSE*,
 * LICENCE*, COPYING*, NOTICE*). The bundle redistributes these packages, so
 * their notices must travel with it: in the npm package, every release archive
 * and the reaper image.
 *
 * The licences accepted (ALLOWED_LICENSES) are permissive ones whose only
 * condition is to keep the notice, which this file does; anything else stops
 * the bundle until someone has read it (docs/dev-notes/release.md).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

export const ALLOWED_LICENSES = [
  'MIT',
  'ISC',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  // The Blue Oak Model License: permissive, OSI-approved, notice only
  // (minimatch and sax use it, through @oclif/core and xml2js).
  'BlueOak-1.0.0',
]

export const NOTICES_FILE = 'THIRD_PARTY_NOTICES'

const LICENSE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i

/**
 * The package directories (relative to root) whose code is in the outputs.
 * A file under .../node_modules/<name> or .../node_modules/@scope/<name>
 * belongs to the innermost such directory (nested copies are packages of their own).
 * @param {{outputs: Record<string, {inputs: Record<string, {bytesInOutput: number}>}>}} metafile
 * @returns {string[]} sorted package directories
 */
export function bundledPackageDirs(metafile) {
  const dirs = new Set()
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0) continue
      const match = /^(.*node_modules\/(?:@[^/]+\/[^/]+|[^/]+))\//.exec(input.replace(/\\/g, '/'))
      if (match?.[1]) dirs.add(match[1])
    }
  }
  return [...dirs].sort()
}

/**
 * The licence a package.json declares, as an SPDX expression: `license` (a
 * string, or the old {type} object), or a list of them in `license` or the old
 * `licenses` (alternatives, so joined with OR).
 */
export function declaredLicense(pjson) {
  const asId = (l) => (typeof l === 'string' ? l : l?.type)
  const declared = pjson.license ?? pjson.licenses
  if (!Array.isArray(declared)) return asId(declared) ?? ''
  const ids = declared.map(asId).filter(Boolean)
  return ids.length > 1 ? `(${ids.join(' OR ')})` : (ids[0] ?? '')
}

/**
 * Whether an SPDX expression lets us ship under the allow-list: a single
 * identifier must be on it; `A OR B` needs one allowed side; `A AND B` needs
 * both. `WITH` exceptions, `+`, LicenseRef-, "SEE LICENSE IN ..." and
 * UNLICENSED are not accepted (they need a human to read them).
 * @param {string} expression
 * @returns {boolean}
 */
export function licenseAllowed(expression) {
  const tokens = (expression ?? '').match(/\(|\)|[^\s()]+/g) ?? []
  let i = 0
  // or := and ('OR' and)* ; and := atom ('AND' atom)* ; atom := id | '(' or ')'
  const parseOr = () => {
    let ok = parseAnd()
    while (tokens[i]?.toUpperCase() === 'OR') {
      i += 1
      const right = parseAnd()
      ok = ok || right
    }
    return ok
  }
  const parseAnd = () => {
    let ok = parseAtom()
    while (tokens[i]?.toUpperCase() === 'AND') {
      i += 1
      const right = parseAtom()
      ok = ok && right
    }
    return ok
  }
  const parseAtom = () => {
    const token = tokens[i++]
    if (token === '(') {
      const ok = parseOr()
      if (tokens[i++] !== ')') throw new Error('unbalanced')
      return ok
    }
    if (token === undefined || token === ')') throw new Error('incomplete')
    return ALLOWED_LICENSES.includes(token)
  }
  try {
    const ok = parseOr()
    return i === tokens.length && ok
  } catch {
    return false
  }
}

/**
 * @param {string} root the directory the metafile paths are relative to
 * @param {string[]} dirs package directories (bundledPackageDirs)
 * @returns {{name: string, version: string, license: string, homepage: string, texts: {file: string, text: string}[]}[]}
 *   one entry per name and version, sorted
 */
export function readPackages(root, dirs) {
  const byId = new Map()
  for (const dir of dirs) {
    const full = path.resolve(root, dir)
    const pjson = JSON.parse(readFileSync(path.join(full, 'package.json'), 'utf8'))
    const id = `${pjson.name}@${pjson.version}`
    if (byId.has(id)) continue
    const texts = readdirSync(full)
      .filter((f) => LICENSE_FILE.test(f) && statSync(path.join(full, f)).isFile())
      .sort()
      .map((file) => ({
        file,
        text: readFileSync(path.join(full, file), 'utf8').replace(/\r\n/g, '\n').trim(),
      }))
    const repo = typeof pjson.repository === 'string' ? pjson.repository : pjson.repository?.url
    byId.set(id, {
      name: pjson.name,
      version: pjson.version,
      license: declaredLicense(pjson),
      homepage: pjson.homepage ?? repo ?? `https://www.npmjs.com/package/${pjson.name}`,
      texts,
    })
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version))
}

const RULE = '='.repeat(78)

/**
 * The THIRD_PARTY_NOTICES text. Each entry starts with `Package: name version`
 * and `License: expression` lines, which the tests read back.
 */
export function renderNotices(product, packages) {
  const head = [
    `${product} bundles the following ${packages.length} third-party packages in its\n` +
      'JavaScript bundle. Their licences and notices follow, as each package ships them.',
  ]
  const entries = packages.map((p) =>
    [
      RULE,
      `Package: ${p.name} ${p.version}`,
      `License: ${p.license || 'none declared'}`,
      `Source: ${p.homepage}`,
      ...(p.texts.length
        ? p.texts.flatMap((t) => ['', `--- ${t.file} ---`, '', t.text])
        : ['', `(The package ships no licence file; its package.json declares ${p.license || 'none'}.)`]),
    ].join('\n'),
  )
  return `${[...head, ...entries].join('\n\n')}\n`
}

/**
 * Reads back the `Package:` and `License:` lines of a notices file.
 * @returns {{name: string, version: string, license: string}[]}
 */
export function parseNotices(text) {
  const found = []
  const pattern = /^Package: (\S+) (\S+)\nLicense: (.+)$/gm
  for (const m of text.matchAll(pattern)) found.push({ name: m[1], version: m[2], license: m[3] })
  return found
}

/**
 * The notices for a bundle; throws when a bundled
 * package's licence is not on the allow-list, so no release ships it unnoticed.
 */
export function noticesForBundle(root, metafile, product) {
  const packages = readPackages(root, bundledPackageDirs(metafile))
  const refused = packages.filter((p) => !licenseAllowed(p.license))
  if (refused.length) {
    throw new Error(
      `licence not on the allow-list (${ALLOWED_LICENSES.join(', ')}; scripts/third-party-notices.mjs): ${refused
        .map((p) => `${p.name}@${p.version} (${p.license || 'none declared'})`)
        .join(', ')}`,
    )
  }
  return renderNotices(product, packages)
}
