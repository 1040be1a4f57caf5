import { expirePendingTransactions } from '../domains/storefront/expiry'
import { runEvery } from '../http/background-job'
import { PENDING_SWEEP_SECONDS } from '../../shared/contracts/limits'

/** Expires pending purchases past their expiry and releases their stock (safe on every replica). */
export default defineNitroPlugin((nitroApp) => {
  runEvery(nitroApp, PENDING_SWEEP_SECONDS * 1000, 'pending purchases expired', expirePendingTransactions)
})
