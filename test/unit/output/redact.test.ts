import { describe, expect, it } from 'vitest'
import { formatObject } from '../../../src/output/print-object.js'
import { redactSecret } from '../../../src/output/redact.js'
import { buildSecret } from '../../../src/secret/build-secret.js'

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64')

describe('redactSecret', () => {
  it('replaces every data value with its decoded byte count', () => {
    const secret = {
      kind: 'Secret',
      metadata: { name: 'db' },
      data: {
        empty: '',
        one: b64('a'),
        two: b64('ab'),
        three: b64('abc'),
        utf8: b64('héllo ☃'),
        bin: b64(Buffer.alloc(1000, 0xff)),
      },
    }
    expect(redactSecret(secret).data).toEqual({
      empty: '<redacted: 0 bytes>',
      one: '<redacted: 1 bytes>',
      two: '<redacted: 2 bytes>',
      three: '<redacted: 3 bytes>',
      utf8: '<redacted: 10 bytes>',
      bin: '<redacted: 1000 bytes>',
    })
  })

  it('replaces stringData values with their UTF-8 byte count', () => {
    expect(redactSecret({ stringData: { a: 'abc', b: '☃' } }).stringData).toEqual({
      a: '<redacted: 3 bytes>',
      b: '<redacted: 3 bytes>',
    })
  })

  it('does not mutate the input object', () => {
    const secret = {
      metadata: { name: 'x', labels: { a: 'b' } },
      data: { k: b64('value') },
      stringData: { s: 'v' },
    }
    const before = structuredClone(secret)
    const out = redactSecret(secret)
    expect(secret).toEqual(before)
    expect(out).not.toBe(secret)
    expect(out.data).not.toBe(secret.data)
    expect(out.metadata).toEqual(secret.metadata)
    expect(out.metadata).not.toBe(secret.metadata)
  })

  it("keeps the object's field order, for output that reads like the server's", () => {
    const secret = {
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 'x' },
      data: { k: b64('v') },
      type: 'Opaque',
    }
    expect(Object.keys(redactSecret(secret))).toEqual(['kind', 'apiVersion', 'metadata', 'data', 'type'])
  })

  it('no printed output of a built Secret holds a value', async () => {
    const manifest = buildSecret({
      name: 'db',
      namespace: 'prod',
      type: 'Opaque',
      entries: [{ key: 'password', value: Buffer.from('TopSecretValue'), origin: 'prompt' }],
      labels: {},
      annotations: {},
      immutable: false,
      appendHash: false,
    })
    for (const format of ['json', 'yaml', 'name'] as const) {
      const text = await formatObject(redactSecret(manifest), format)
      expect(text).not.toContain('TopSecretValue')
      expect(text).not.toContain(b64('TopSecretValue'))
    }
    expect(await formatObject(redactSecret(manifest), 'json')).toContain('"password": "<redacted: 14 bytes>"')
  })

  it('leaves an object without data alone', () => {
    const noData: { metadata: { name: string }; data?: Record<string, string> } = { metadata: { name: 'x' } }
    expect(redactSecret(noData)).toEqual({ metadata: { name: 'x' } })
  })
})

describe('formatObject', () => {
  const obj = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db-x' },
    data: { k: '<redacted: 1 bytes>' },
  }

  it('-o name gives secret/NAME', async () => {
    expect(await formatObject(obj, 'name')).toBe('secret/db-x\n')
  })

  it('-o json is indented by 4 spaces like kubectl, with a final newline', async () => {
    const text = await formatObject(obj, 'json')
    expect(text).toBe(`${JSON.stringify(obj, null, 4)}\n`)
    expect(JSON.parse(text)).toEqual(obj)
  })

  it('-o yaml round-trips', async () => {
    const { parse } = await import('yaml')
    const text = await formatObject(obj, 'yaml')
    expect(text).toMatch(/^apiVersion: v1\nkind: Secret\n/)
    expect(parse(text)).toEqual(obj)
  })
})

describe('formatObject leaves managedFields out, as kubectl does by default', () => {
  it('json and yaml', async () => {
    const obj = { kind: 'Secret', metadata: { name: 's', managedFields: [{ manager: 'm' }] }, data: {} }
    expect(await formatObject(obj, 'json')).not.toContain('managedFields')
    expect(await formatObject(obj, 'yaml')).not.toContain('managedFields')
    expect(obj.metadata.managedFields).toHaveLength(1)
  })
})
