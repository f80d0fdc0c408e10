export type ObjectFormat = 'json' | 'yaml' | 'name'

/** kubectl's -o json|yaml|name for one object. The caller redacts first. */
export async function formatObject(
  obj: { kind?: string; metadata?: { name?: string } },
  format: ObjectFormat,
): Promise<string> {
  if (format === 'name') return `${(obj.kind ?? '').toLowerCase()}/${obj.metadata?.name ?? ''}\n`
  if (format === 'json') return `${JSON.stringify(obj, null, 4)}\n`
  const { stringify } = await import('yaml')
  return stringify(obj)
}
