import type { H3Event } from 'h3'
import { getRequestHeader } from 'h3'
import { purchaseLimiter } from '../domains/storefront/limits'
import { findOpenStore, type OpenStore } from '../domains/storefront/storefront'
import type { StorefrontUrls } from '../domains/storefront/checkout'
import type { Deps } from '../platform/deps'
import { RateLimited } from '../platform/errors'
import { storeParamsSchema } from '../../shared/contracts/storefront'
import { storefrontBase } from './store-host'
import { getClientIp } from './request-info'
import { paramsInput } from './validate'
import { useDeps } from './deps'

/**
 * The start of every buy (`/purchase`, `/checkout`): the per-IP rate limit, the open store, and
 * where PayPal sends the buyer back.
 */
export async function openStoreForPurchase(event: H3Event): Promise<{ deps: Deps, store: OpenStore, urls: StorefrontUrls }> {
  const wait = purchaseLimiter.take(getClientIp(event))
  if (wait > 0) throw new RateLimited(wait)
  const { subdomain } = paramsInput(event, storeParamsSchema)
  const deps = await useDeps()
  const store = await findOpenStore(deps, subdomain)
  return { deps, store, urls: { storefrontBase: storefrontBase(deps.env, store.license.subdomain, getRequestHeader(event, 'host')) } }
}
