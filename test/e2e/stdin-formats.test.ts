/**
 * The same bytes through both env sources, --stdin-format=env and
 * --from-env-file, through the real kubectl into the real cluster: each value
 * read back byte for byte, or the input refused with its line number and
 * nothing created. kubectl's own --from-env-file (a client-side dry run) is
 * the ground truth for the lines --from-env-file accepts.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createNamespace, getSecret, requireSecret, secretBytes, uniqueName } from '../helpers/cluster-api.js'
import { kubectl, type RunResult, safeSecret } from '../helpers/plugin.js'
import { marker, tempDir } from '../helpers/values.js'

const cluster = inject('cluster')
const BOM = Buffer.from([0xef, 0xbb, 0xbf])

let ns: string
beforeAll(async () => {
  ns = await createNamespace(cluster, 'formats')
})

type Source = 'stdin-env' | 'env-file'

async function create(source: Source, input: Buffer): Promise<{ name: string; res: RunResult }> {
  const name = uniqueName(source)
  if (source === 'stdin-env') {
    return {
      name,
      res: await safeSecret(cluster, ['create', name, '--stdin-format=env', '-n', ns], { stdin: input }),
    }
  }
  const file = path.join(tempDir('env-file'), 'app.env')
  writeFileSync(file, input)
  return { name, res: await safeSecret(cluster, ['create', name, `--from-env-file=${file}`, '-n', ns]) }
}

/** What `kubectl create secret generic --from-env-file` itself would store (decoded), or its failure. */
async function kubectlReading(input: Buffer): Promise<Record<string, Buffer> | 'refused'> {
  const file = path.join(tempDir('kubectl-env'), 'app.env')
  writeFileSync(file, input)
  const res = await kubectl(cluster, [
    'create',
    'secret',
    'generic',
    'x',
    `--from-env-file=${file}`,
    '--dry-run=client',
    '-o',
    'json',
  ])
  if (res.code !== 0) return 'refused'
  const data = JSON.parse(res.stdout).data as Record<string, string>
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64')]))
}

async function expectStored(source: Source, input: Buffer, expected: Record<string, Buffer>): Promise<void> {
  const { name, res } = await create(source, input)
  expect(res.stderr, source).toBe('')
  expect(res.code, source).toBe(0)
  const secret = await requireSecret(cluster, ns, name)
  expect(Object.keys(secret.data ?? {}).sort(), source).toEqual(Object.keys(expected).sort())
  for (const [key, value] of Object.entries(expected)) {
    expect(secretBytes(secret, key)?.equals(value), `${source} ${key}`).toBe(true)
  }
}

async function expectRefused(
  source: Source,
  input: Buffer,
  message: string,
  secretText: string[],
): Promise<void> {
  const { name, res } = await create(source, input)
  expect(res.code, source).toBe(1)
  expect(res.stdout, source).toBe('')
  expect(res.stderr, source).toContain(message)
  for (const text of secretText) expect(res.stderr, source).not.toContain(text)
  expect(await getSecret(cluster, ns, name), source).toBeUndefined()
}

const bytes = (...parts: (string | Buffer | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))))

describe('the same input through --stdin-format=env and --from-env-file', () => {
  it.each([
    [
      'an unquoted # is kept by both, as kubectl keeps it (sops dotenv output)',
      (v: string) => bytes(`# from sops\nPASSWORD=${v}#ss#word\nUSER=x=y"z"\n`),
    ],
    [
      'CRLF line endings and a BOM are read the same way by both, and by kubectl',
      (v: string) => bytes(BOM, `PASSWORD=${v}#ss#word\r\n\r\n# c\r\nUSER=x=y"z"\r\n`),
    ],
  ])('%s', async (_title, inputFor) => {
    const value = marker('pa')
    const input = inputFor(value)
    const expected = { PASSWORD: Buffer.from(`${value}#ss#word`), USER: Buffer.from('x=y"z"') }
    expect(await kubectlReading(input)).toEqual(expected)
    await expectStored('stdin-env', input, expected)
    await expectStored('env-file', input, expected)
  })

  it('a key given twice is refused by both, naming the key and the lines', async () => {
    const first = marker('first')
    const second = marker('second')
    const input = bytes(`A=${first}\nB=1\nA=${second}\n`)
    await expectRefused('stdin-env', input, 'line 3: the key "A" is given twice (first on line 1)', [
      first,
      second,
    ])
    await expectRefused('env-file', input, 'line 3: the key "A" is given twice (first on line 1)', [
      first,
      second,
    ])
  })

  it('bytes that are not UTF-8 are refused by both (and by kubectl), naming the line', async () => {
    const value = marker('latin1')
    const input = bytes(`A=1\nB=${value}`, [0xe9, 0xff], '\n')
    expect(await kubectlReading(input)).toBe('refused')
    await expectRefused('stdin-env', input, 'line 2: not valid UTF-8', [value])
    await expectRefused('env-file', input, 'line 2: not valid UTF-8', [value])
  })

  it('quotes: --stdin-format=env removes them, --from-env-file refuses the line kubectl would store with its quotes', async () => {
    const value = marker('quoted')
    const input = bytes(`A=1\nB="${value} #1"\nC='l1\r\nl2\\n'\n`)
    expect(await kubectlReading(bytes(`B="${value}"\n`))).toEqual({ B: Buffer.from(`"${value}"`) })
    await expectStored('stdin-env', input, {
      A: Buffer.from('1'),
      B: Buffer.from(`${value} #1`),
      C: Buffer.from('l1\r\nl2\\n'),
    })
    await expectRefused('env-file', input, 'line 2: the value starts with a quote', [value])
  })

  it("' #' in an unquoted value: kubectl keeps it, --from-env-file too, --stdin-format=env refuses the line", async () => {
    const value = marker('comment')
    const input = bytes(`A=1\nB=${value} # rotated\n`)
    const kept = { A: Buffer.from('1'), B: Buffer.from(`${value} # rotated`) }
    expect(await kubectlReading(input)).toEqual(kept)
    await expectStored('env-file', input, kept)
    await expectRefused('stdin-env', input, "line 2: the unquoted value holds ' #'", [value])
  })
})

describe('--stdin-format=json', () => {
  const json = (input: Buffer) => {
    const name = uniqueName('json')
    return {
      name,
      run: safeSecret(cluster, ['create', name, '--stdin-format=json', '-n', ns], { stdin: input }),
    }
  }

  it('a key given twice is refused, naming the key; nothing is created', async () => {
    const value = marker('dup')
    const { name, run } = json(bytes(`{"a": "${value}", "a": "other"}`))
    const res = await run
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('the key "a" is given twice')
    expect(res.stderr).not.toContain(value)
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
  })

  it('bytes that are not UTF-8 are refused with their line', async () => {
    const { name, run } = json(bytes('{\n"a": "x', [0xff], '"\n}'))
    const res = await run
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('--stdin-format=json: line 2: not valid UTF-8')
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
  })

  it('a BOM is ignored and the values arrive byte for byte', async () => {
    const value = marker('bom')
    const { name, run } = json(bytes(BOM, `{"a": "${value}\\r\\n#é"}`))
    const res = await run
    expect(res.stderr).toBe('')
    expect(secretBytes(await requireSecret(cluster, ns, name), 'a')?.toString('utf8')).toBe(`${value}\r\n#é`)
  })
})
