import { getSubscription } from '../../../domains/subscriptions/subscriptions'

/** GET /api/webstore/subscription: the current one, re-read from PayPal while it awaits approval. */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  return { subscription: await getSubscription(await useDeps(), license.id) }
})
