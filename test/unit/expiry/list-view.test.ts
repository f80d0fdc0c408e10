import { describe, expect, it } from 'vitest'
import type { ManagedSecret } from '../../../src/expiry/list.js'
import { expiringWithin, sortManagedSecrets } from '../../../src/expiry/list-view.js'

const now = new Date('2026-12-01T12:00:00Z')
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000)

function secret(name: string, namespace: string, expiresIn?: number, createdAgo = 0): ManagedSecret {
  return {
    name,
    namespace,
    timer: 'none',
    compat: [],
    metadata: { name, namespace },
    expiresAt: expiresIn === undefined ? undefined : at(expiresIn),
    createdAt: at(-createdAgo),
  }
}

const items = [
  secret('b', 'x', 60, 5),
  secret('a', 'y', undefined, 50),
  secret('c', 'x', -5, 10),
  secret('a', 'x', 10, 1),
]
const ids = (list: ManagedSecret[]) => list.map((s) => `${s.namespace}/${s.name}`)

describe('list --sort-by', () => {
  it('expires: soonest (and already past) first, none last', () => {
    expect(ids(sortManagedSecrets(items, 'expires'))).toEqual(['x/c', 'x/a', 'x/b', 'y/a'])
  })
  it('name: by name, then namespace', () => {
    expect(ids(sortManagedSecrets(items, 'name'))).toEqual(['x/a', 'y/a', 'x/b', 'x/c'])
  })
  it('age: oldest first', () => {
    expect(ids(sortManagedSecrets(items, 'age'))).toEqual(['y/a', 'x/c', 'x/b', 'x/a'])
  })
})

describe('list --expiring-within', () => {
  it('keeps what expires within the window, and what is past it; drops Secrets without expiry', () => {
    expect(ids(expiringWithin(items, 30 * 60_000, now))).toEqual(['x/c', 'x/a'])
    expect(ids(expiringWithin(items, 60 * 60_000, now))).toEqual(['x/b', 'x/c', 'x/a'])
  })
})
