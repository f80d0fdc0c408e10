import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, MANAGED_SELECTOR, ROLE_LABEL, TIMER_ROLE } from './metadata.js'

/** Label selector for our Secrets, narrowed by the user's own selector when there is one. */
export function managedSelector(extra?: string): string {
  return extra ? `${MANAGED_SELECTOR},${extra}` : MANAGED_SELECTOR
}

/** Label selector for our timer Jobs. */
export const MANAGED_BY_SELECTOR_TIMER = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${ROLE_LABEL}=${TIMER_ROLE}`

export const PARTIAL_METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1'
export const PARTIAL_METADATA = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1'
