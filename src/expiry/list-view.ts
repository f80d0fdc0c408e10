/**
 * What `list` shows and in which order: --sort-by and --expiring-within. Pure.
 */
import type { ManagedSecret } from './list.js'

export const SORT_KEYS = ['expires', 'name', 'age'] as const
export type SortKey = (typeof SORT_KEYS)[number]

const byName = (a: ManagedSecret, b: ManagedSecret) =>
  a.name.localeCompare(b.name) || a.namespace.localeCompare(b.namespace)

/**
 * expires: soonest first, Secrets without an expiry last; name: by name, then
 * namespace; age: oldest first, as kubectl's --sort-by=.metadata.creationTimestamp.
 * Ties keep the default order (namespace, then name).
 */
export function sortManagedSecrets(items: ManagedSecret[], key: SortKey): ManagedSecret[] {
  const time = (d: Date | undefined, missing: number) => (d ? d.getTime() : missing)
  const compare: Record<SortKey, (a: ManagedSecret, b: ManagedSecret) => number> = {
    expires: (a, b) => time(a.expiresAt, Infinity) - time(b.expiresAt, Infinity) || 0,
    name: byName,
    age: (a, b) => time(a.createdAt, Infinity) - time(b.createdAt, Infinity) || 0,
  }
  return [...items].sort((a, b) => {
    const c = compare[key](a, b)
    return Number.isNaN(c) || c === 0 ? a.namespace.localeCompare(b.namespace) || byName(a, b) : c
  })
}

/** The Secrets whose expiry is at most `withinMs` from now, those already past it included. */
export function expiringWithin(items: ManagedSecret[], withinMs: number, now: Date): ManagedSecret[] {
  const limit = now.getTime() + withinMs
  return items.filter((s) => s.expiresAt !== undefined && s.expiresAt.getTime() <= limit)
}
