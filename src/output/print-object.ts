export type ObjectFormat = 'json' | 'yaml' | 'name'

type Printable = { kind?: string; metadata?: { name?: string; managedFields?: unknown } }

/**
 * kubectl's -o json|yaml|name for one object. The caller redacts first. As
 * kubectl does by default (--show-managed-fields=false), managedFields are left out.
 */
export async function formatObject(obj: Printable, format: ObjectFormat): Promise<string> {
  if (format === 'name') return `${(obj.kind ?? '').toLowerCase()}/${obj.metadata?.name ?? ''}\n`
  const shown = obj.metadata?.managedFields === undefined ? obj : withoutManagedFields(obj)
  if (format === 'json') return `${JSON.stringify(shown, null, 4)}\n`
  const { stringify } = await import('yaml')
  return stringify(shown)
}

function withoutManagedFields<T extends Printable>(obj: T): T {
  const { managedFields: _managedFields, ...metadata } = obj.metadata ?? {}
  return { ...obj, metadata }
}
