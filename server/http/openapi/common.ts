import { licenseIdHeader } from '../../../shared/contracts/http'
import { apiArea, type HeaderParameter } from './registry'

// What the owner API areas (webstore, subscription, modules, sign-in) share in the document.

const licenseHeader: HeaderParameter = {
  name: 'X-License-Id',
  description: 'The license (game server) to act on; optional when the user has only one',
  schema: licenseIdHeader,
}

/** An owner API area: session auth and the X-License-Id header on every operation. */
export const ownerArea = (tag: string) => apiArea({ tags: [tag], security: 'userSession', headers: [licenseHeader] })

/** A webhook PayPal posts to: its body is any event, checked with PayPal rather than by shape. */
export const paypalEventBody = 'PayPal\'s webhook event, with its paypal-transmission-* headers'
