import { cancelSubscription } from '../../../domains/subscriptions/subscriptions'

/** POST /api/webstore/subscription/cancel: cancels at PayPal, then here (409 when none is active). */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  return { subscription: await cancelSubscription(await useDeps(), license.id) }
})
