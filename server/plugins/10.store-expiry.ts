import { errorFields } from '../platform/logger'
import { expirePendingTransactions } from '../domains/storefront/expiry'
import { useAppContext } from '../http/app-context'

const EVERY_MS = 30_000

/** Expires pending purchases older than 30 minutes and releases their stock (safe on every replica). */
export default defineNitroPlugin((nitroApp) => {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    void useAppContext()
      .then(async (ctx) => {
        const n = await expirePendingTransactions(ctx.db, ctx.clock.now())
        if (n > 0) ctx.log.info('pending purchases expired', { count: n })
      })
      .catch(async (error: unknown) => {
        const ctx = await useAppContext().catch(() => undefined)
        ctx?.log.warn('expiry job failed', errorFields(error))
      })
      .finally(() => {
        running = false
      })
  }, EVERY_MS)
  timer.unref()
  nitroApp.hooks.hook('close', () => clearInterval(timer))
})
