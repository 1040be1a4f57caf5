import type { AppEnv } from '../../platform/env'
import { paypalClient, type PayPalClient } from '../../integrations/paypal/client'

// The platform's own PayPal app, which bills owners for the webstore add-on. Unlike a store's
// PayPal app (in the database, per license) it comes from the environment.

export interface PlatformPayPal {
  paypal: PayPalClient
  planId: string
  /** Needed to verify webhook signatures; without it every platform webhook is refused. */
  webhookId: string | undefined
}

const REQUIRED = [['clientId', 'PLATFORM_PAYPAL_CLIENT_ID'], ['clientSecret', 'PLATFORM_PAYPAL_CLIENT_SECRET'], ['planId', 'PLATFORM_PAYPAL_PLAN_ID']] as const

/** The configured platform app, or null when any of client id, secret or plan id is unset. */
export function platformPayPal(env: Pick<AppEnv, 'platformPayPal' | 'paypalApiBase'>): PlatformPayPal | null {
  const { clientId, clientSecret, planId, webhookId, mode } = env.platformPayPal
  if (!clientId || !clientSecret || !planId) return null
  return { paypal: paypalClient({ clientId, clientSecret, mode }, { apiBase: env.paypalApiBase }), planId, webhookId }
}

/** The names of the unset variables, for the operator's log (never the values). */
export function missingPlatformVars(env: Pick<AppEnv, 'platformPayPal'>): string[] {
  return REQUIRED.filter(([field]) => !env.platformPayPal[field]).map(([, name]) => name)
}
