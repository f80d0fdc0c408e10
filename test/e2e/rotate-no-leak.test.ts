/**
 * rotate under strace: the new value is only ever read (never written to a
 * file, stdout, stderr or an argv), and the values it does not rotate never
 * reach the process at all, not even in a read.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { adminRequest } from '../cluster/control-plane.js'
import { createNamespace, requireSecret, secretBytes, uniqueName } from '../helpers/cluster-api.js'
import { findViolations, markerForms, safeSecretUnderStrace } from '../helpers/strace.js'
import { marker } from '../helpers/values.js'

const cluster = inject('cluster')

let ns: string
beforeAll(async () => {
  ns = await createNamespace(cluster, 'rotleak')
})

async function secretWith(kept: string): Promise<string> {
  const name = uniqueName('rot')
  const res = await adminRequest(cluster, 'POST', `/api/v1/namespaces/${ns}/secrets`, {
    metadata: { name },
    data: { kept: Buffer.from(kept).toString('base64'), password: Buffer.from('old').toString('base64') },
  })
  expect(res.status).toBe(201)
  return name
}

describe('rotate under strace', () => {
  it('reads the new value and nothing else, and writes it nowhere but the API request', async () => {
    const kept = marker('kept-')
    const name = await secretWith(kept)
    const fresh = marker('fresh-')
    const { result, lines } = await safeSecretUnderStrace(
      cluster,
      ['rotate', name, '--from-stdin=password', '--restart', '-n', ns],
      { stdin: fresh },
    )
    expect(result.stderr).not.toContain(fresh)
    expect(result.code).toBe(0)
    expect(findViolations(lines, fresh)).toEqual([])
    // The marker did go through the traced process...
    expect(lines.some((l) => markerForms(fresh).some((f) => l.includes(f)))).toBe(true)
    // ...and the value that was not rotated never did, in any syscall.
    expect(lines.filter((l) => markerForms(kept).some((f) => l.includes(f)))).toEqual([])
    const after = await requireSecret(cluster, ns, name)
    expect(secretBytes(after, 'password')?.toString()).toBe(fresh)
    expect(secretBytes(after, 'kept')?.toString()).toBe(kept)
  })

  it('a refused key leaks nothing either', async () => {
    const kept = marker('kept-')
    const name = await secretWith(kept)
    const fresh = marker('fresh-')
    const { result, lines } = await safeSecretUnderStrace(
      cluster,
      ['rotate', name, '--from-stdin=nope', '-n', ns],
      {
        stdin: fresh,
      },
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/has no key "nope"/)
    expect(findViolations(lines, fresh)).toEqual([])
    expect(lines.filter((l) => markerForms(kept).some((f) => l.includes(f)))).toEqual([])
  })
})
