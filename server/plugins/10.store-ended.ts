import { endTimedPurchases } from '../domains/operations/ended'
import { runEvery } from '../http/background-job'
import { ENDED_SWEEP_SECONDS } from '../../shared/contracts/limits'

/** Queues the revoke commands of timed purchases past their end (safe on every replica). */
export default defineNitroPlugin((nitroApp) => {
  runEvery(nitroApp, ENDED_SWEEP_SECONDS * 1000, 'timed purchases ended', endTimedPurchases)
})
