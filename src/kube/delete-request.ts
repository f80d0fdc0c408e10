import type { KubeRequest } from './client.js'

export interface DeleteOptionsInput {
  dryRun?: boolean
  preconditions?: { uid?: string; resourceVersion?: string }
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'
}

/**
 * A DELETE with its DeleteOptions. dryRun goes in the body as well as the
 * query: when a DELETE has a body, the apiserver reads its options from the
 * body and ignores `?dryRun=All`, so a "dry run" would really delete.
 */
export function deleteRequest(
  path: string,
  options: DeleteOptionsInput,
  describe: KubeRequest['describe'],
  accept?: string,
): KubeRequest {
  return {
    method: 'DELETE',
    path,
    query: { dryRun: options.dryRun ? 'All' : undefined },
    body: {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
      ...(options.preconditions ? { preconditions: options.preconditions } : {}),
      ...(options.dryRun ? { dryRun: ['All'] } : {}),
    },
    ...(accept ? { accept } : {}),
    describe,
  }
}
