import { subscriptionDeps } from '../../../domains/subscriptions/platform'
import { getSubscription } from '../../../domains/subscriptions/subscriptions'

/** GET /api/webstore/subscription: the current one, re-read from PayPal while it awaits approval. */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  return { subscription: await getSubscription(subscriptionDeps(await useAppContext()), license.id) }
})
