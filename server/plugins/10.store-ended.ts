import { errorFields } from '../platform/logger'
import { endTimedPurchases } from '../domains/operations/ended'
import { useDeps } from '../http/deps'
import { ENDED_SWEEP_SECONDS } from '../../shared/contracts/limits'

const EVERY_MS = ENDED_SWEEP_SECONDS * 1000

/** Queues the revoke commands of timed purchases past their end (safe on every replica). */
export default defineNitroPlugin((nitroApp) => {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    void useDeps()
      .then(async (deps) => {
        const n = await endTimedPurchases(deps)
        if (n > 0) deps.log.info('timed purchases ended', { count: n })
      })
      .catch(async (error: unknown) => {
        const deps = await useDeps().catch(() => undefined)
        deps?.log.warn('ended-purchases job failed', errorFields(error))
      })
      .finally(() => {
        running = false
      })
  }, EVERY_MS)
  timer.unref()
  nitroApp.hooks.hook('close', () => clearInterval(timer))
})
