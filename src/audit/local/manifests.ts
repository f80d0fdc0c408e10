/**
 * Secret manifests committed to a repository: `kind: Secret` documents (also
 * inside `List` kinds) that carry `data` or `stringData`, and kustomize
 * `secretGenerator` entries with `literals`. Reports file:line, key names and
 * sizes. Helm templates are read with their `{{ }}` actions blanked out, so that
 * they never crash the scan and templated values are not mistaken for literals.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, type YAMLMap } from 'yaml'
import { bytes, type Finding } from '../findings.js'

const TEMPLATED = '__SAFE_SECRET_TEMPLATED__'

/**
 * Replaces Go template actions: a line holding only actions becomes blank, an
 * inline action becomes a placeholder. Line numbers stay as they were.
 */
export function blankTemplates(text: string): string {
  if (!text.includes('{{')) return text
  return text
    .split('\n')
    .map((line) => {
      if (!line.includes('{{')) return line
      const rest = line.replace(/\{\{.*?\}\}/g, '').trim()
      if (rest === '' || rest === '-') return ''
      return line.replace(/\{\{.*?(\}\}|$)/g, TEMPLATED)
    })
    .join('\n')
}

interface KeyInfo {
  key: string
  size: number
  line: number
}

function scalarString(node: unknown): string | undefined {
  if (isScalar(node)) return node.value === null || node.value === undefined ? '' : String(node.value)
  return undefined
}

function mapEntries(node: unknown, lines: LineCounter, decode: 'base64' | 'text'): KeyInfo[] {
  if (!isMap(node)) return []
  const out: KeyInfo[] = []
  for (const pair of node.items) {
    const key = scalarString(pair.key)
    if (key === undefined) continue
    const value = scalarString(pair.value) ?? ''
    if (value.includes(TEMPLATED)) continue // a Helm value: not in the repository
    const size =
      decode === 'base64' ? Buffer.from(value.replace(/\s+/g, ''), 'base64').length : Buffer.byteLength(value)
    const offset = (pair.key as Node).range?.[0] ?? 0
    out.push({ key, size, line: lines.linePos(offset).line })
  }
  return out
}

function get(map: YAMLMap, key: string): unknown {
  return map.get(key, true)
}

function describeKeys(keys: KeyInfo[]): string {
  return keys.map((k) => `${k.key} (${bytes(k.size)})`).join(', ')
}

const FIX =
  "rotate the values, remove the file and purge it from git history (git filter-repo --invert-paths --path FILE, then force-push), and create the Secret with 'kubectl safe-secret create' (or commit a SealedSecret/ExternalSecret)"

function secretFinding(map: YAMLMap, lines: LineCounter, file: string): Finding | undefined {
  const keys = [
    ...mapEntries(get(map, 'data'), lines, 'base64'),
    ...mapEntries(get(map, 'stringData'), lines, 'text'),
  ]
  if (keys.length === 0) return undefined
  const meta = get(map, 'metadata')
  const name = isMap(meta) ? (scalarString(get(meta, 'name')) ?? '') : ''
  const ns = isMap(meta) ? scalarString(get(meta, 'namespace')) : undefined
  const id = name.includes(TEMPLATED) || name === '' ? '(templated name)' : ns ? `${ns}/${name}` : name
  return {
    check: 'secret-manifest-in-repo',
    level: 'high',
    where: `${file}:${keys[0]?.line ?? 1}`,
    detail: `Secret ${id} carries values in the file: ${describeKeys(keys)}`,
    fix: FIX,
  }
}

function inspect(node: unknown, lines: LineCounter, file: string, kustomization: boolean): Finding[] {
  if (!isMap(node)) return []
  const kind = scalarString(get(node, 'kind'))
  if (kind === 'Secret') {
    const f = secretFinding(node, lines, file)
    return f ? [f] : []
  }
  if (kind?.endsWith('List')) {
    const items = get(node, 'items')
    return isSeq(items) ? items.items.flatMap((item) => inspect(item, lines, file, false)) : []
  }
  const generators = get(node, 'secretGenerator')
  if ((kustomization || kind === 'Kustomization') && isSeq(generators)) {
    return generators.items.flatMap((gen) => {
      if (!isMap(gen)) return []
      const literals = get(gen, 'literals')
      if (!isSeq(literals)) return []
      const keys: KeyInfo[] = []
      for (const item of literals.items) {
        const text = scalarString(item)
        if (text === undefined || text.includes(TEMPLATED)) continue
        const eq = text.indexOf('=')
        if (eq <= 0) continue
        keys.push({
          key: text.slice(0, eq),
          size: Buffer.byteLength(text.slice(eq + 1)),
          line: lines.linePos((item as Node).range?.[0] ?? 0).line,
        })
      }
      if (keys.length === 0) return []
      const name = scalarString(get(gen, 'name')) ?? ''
      return [
        {
          check: 'secret-manifest-in-repo',
          level: 'high' as const,
          where: `${file}:${keys[0]?.line ?? 1}`,
          detail: `kustomize secretGenerator ${name} has literals in the file: ${describeKeys(keys)}`,
          fix: 'move the literals out of the repository (envs/files kept out of git, or an external secret store), and rotate the values',
        },
      ]
    })
  }
  return []
}

export function isKustomization(file: string): boolean {
  return /(^|[/\\])(kustomization\.ya?ml|Kustomization)$/.test(file)
}

export interface GeneratorFileRef {
  generator: string
  source: 'files' | 'envs'
  /** The key the file's content becomes (files), absent for envs. */
  key?: string
  /** The path as written, relative to the kustomization's directory. */
  file: string
  line: number
}

/**
 * The files a kustomization's secretGenerators read (`files: [key=path]`,
 * `envs: [path]`): committed to the repository, they are Secret values in git.
 */
function generatorFileRefs(node: unknown, lines: LineCounter): GeneratorFileRef[] {
  if (!isMap(node)) return []
  const generators = get(node, 'secretGenerator')
  if (!isSeq(generators)) return []
  return generators.items.flatMap((gen) => {
    if (!isMap(gen)) return []
    const generator = scalarString(get(gen, 'name')) ?? ''
    return (['files', 'envs', 'env'] as const).flatMap((field) => {
      const list = get(gen, field)
      const items = isSeq(list) ? list.items : isScalar(list) ? [list] : []
      return items.flatMap((item) => {
        const text = scalarString(item)
        if (!text || text.includes(TEMPLATED)) return []
        const eq = field === 'files' ? text.indexOf('=') : -1
        const key = field === 'files' ? (eq === -1 ? text.split('/').pop() : text.slice(0, eq)) : undefined
        return [
          {
            generator,
            source: field === 'files' ? ('files' as const) : ('envs' as const),
            ...(key !== undefined ? { key } : {}),
            file: eq === -1 ? text : text.slice(eq + 1),
            line: lines.linePos((item as Node).range?.[0] ?? 0).line,
          },
        ]
      })
    })
  })
}

export interface ManifestScan {
  findings: Finding[]
  /** For a kustomization: the files its secretGenerators read. */
  generatorFiles: GeneratorFileRef[]
}

/**
 * One file's findings and, for a kustomization, its generator files, from a
 * single parse. Never throws: an unparsable document is skipped.
 */
export function scanManifestText(text: string, displayPath: string, kustomization = false): ManifestScan {
  const none: ManifestScan = { findings: [], generatorFiles: [] }
  if (!/Secret|secretGenerator/.test(text)) return none
  const lines = new LineCounter()
  try {
    const docs = parseAllDocuments(blankTemplates(text), { lineCounter: lines, uniqueKeys: false })
    if (!Array.isArray(docs)) return none
    // A document with errors still yields what parsed (its partial tree), never a crash.
    const nodes = docs.map((doc) => doc.contents)
    return {
      findings: nodes.flatMap((node) => inspect(node, lines, displayPath, kustomization)),
      generatorFiles:
        kustomization && text.includes('secretGenerator')
          ? nodes.flatMap((node) => generatorFileRefs(node, lines))
          : [],
    }
  } catch {
    return none
  }
}
