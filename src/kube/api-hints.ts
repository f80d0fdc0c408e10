import { ApiStatusError } from '../errors/cli-error.js'

/**
 * Adds what the user needs to act on an API error: for a 403 the verb,
 * resource and namespace that were refused and how to check RBAC; for a 409
 * AlreadyExists what to do instead; for a 422 the fields at fault.
 */
export function withApiHint(err: unknown, extra: { alreadyExists?: string } = {}): unknown {
  if (!(err instanceof ApiStatusError)) return err
  const where = err.namespace ? ` in namespace "${err.namespace}"` : ''
  switch (err.code) {
    case 403:
      return new ApiStatusError(err.status, err, {
        hint: `you may not ${err.verb} ${err.resource}${where}: check with 'kubectl auth can-i ${err.verb} ${err.resource}${err.namespace ? ` -n ${err.namespace}` : ''}' and ask for a Role that grants it`,
      })
    case 409:
      if (err.reason === 'AlreadyExists' && extra.alreadyExists) {
        return new ApiStatusError(err.status, err, { hint: extra.alreadyExists })
      }
      return err
    case 422: {
      const fields = [...new Set((err.status.details?.causes ?? []).map((c) => c.field).filter(Boolean))]
      return fields.length > 0
        ? new ApiStatusError(err.status, err, { hint: `field at fault: ${fields.join(', ')}` })
        : err
    }
    default:
      return err
  }
}
