import { setResponseStatus } from 'h3'
import { subscriptionDeps } from '../../../domains/subscriptions/platform'
import { createSubscription } from '../../../domains/subscriptions/subscriptions'

/** POST /api/webstore/subscription/create → 201 with PayPal's approval link (409 if one is active). */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const subscription = await createSubscription(subscriptionDeps(await useAppContext()), license)
  setResponseStatus(event, 201)
  return { subscription }
})
