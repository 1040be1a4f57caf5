import { setResponseStatus } from 'h3'
import { createSubscription } from '../../../domains/subscriptions/create'

/** POST /api/webstore/subscription/create → 201 with PayPal's approval link (409 if one is active). */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const subscription = await createSubscription(await useDeps(), license)
  setResponseStatus(event, 201)
  return { subscription }
})
