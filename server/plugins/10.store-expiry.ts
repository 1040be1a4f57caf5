import { errorFields } from '../platform/logger'
import { expirePendingTransactions } from '../domains/storefront/expiry'
import { useDeps } from '../http/deps'
import { PENDING_SWEEP_SECONDS } from '../../shared/contracts/limits'

const EVERY_MS = PENDING_SWEEP_SECONDS * 1000

/** Expires pending purchases past their expiry and releases their stock (safe on every replica). */
export default defineNitroPlugin((nitroApp) => {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    void useDeps()
      .then(async (deps) => {
        const n = await expirePendingTransactions(deps)
        if (n > 0) deps.log.info('pending purchases expired', { count: n })
      })
      .catch(async (error: unknown) => {
        const deps = await useDeps().catch(() => undefined)
        deps?.log.warn('expiry job failed', errorFields(error))
      })
      .finally(() => {
        running = false
      })
  }, EVERY_MS)
  timer.unref()
  nitroApp.hooks.hook('close', () => clearInterval(timer))
})
