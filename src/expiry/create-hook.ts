/**
 * The seam between `create` and expiry. `create` calls only what is exported
 * here; the expiry module owns everything behind it (the timer Job, the
 * annotations, the compatibility formats).
 */
export { expiryFlags } from './flags.js'
export {
  type ExpiryPlan,
  expiryMetadata,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from './metadata.js'
export { type OwnerSpec, parseOwnedBy, resolveOwner } from './owner.js'
export {
  type ExpiryFlagValues,
  type ExpiryRequest,
  parseExpiry,
  resolveDeadline,
  resolveExpiry,
} from './plan.js'
export type { OwnerReference } from './timer-job.js'
export { type DryRun, withExpiryTimer } from './with-timer.js'
