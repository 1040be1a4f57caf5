import type { Db } from '../../db'
import type { Clock } from '../../platform/clock'
import { readEnv, type AppEnv } from '../../platform/env'
import type { Logger } from '../../platform/logger'
import type { PayPalCredentials, PayPalMode } from '../../integrations/paypal/client'
import type { SubscriptionDeps } from './subscriptions'

// The platform's own PayPal app, which bills owners for the webstore add-on. Unlike a store's
// PayPal app (in the database, per license) it comes from the environment.

export interface PlatformPayPal {
  credentials: PayPalCredentials
  planId: string
  /** Needed to verify webhook signatures; without it every platform webhook is refused. */
  webhookId: string | undefined
}

export const PLATFORM_PAYPAL_VARS = ['PLATFORM_PAYPAL_CLIENT_ID', 'PLATFORM_PAYPAL_CLIENT_SECRET', 'PLATFORM_PAYPAL_PLAN_ID'] as const

/** The configured platform app, or null when any of client id, secret or plan id is unset. */
export function platformPayPal(env: NodeJS.ProcessEnv = process.env): PlatformPayPal | null {
  const clientId = readEnv('PLATFORM_PAYPAL_CLIENT_ID', env)
  const clientSecret = readEnv('PLATFORM_PAYPAL_CLIENT_SECRET', env)
  const planId = readEnv('PLATFORM_PAYPAL_PLAN_ID', env)
  if (!clientId || !clientSecret || !planId) return null
  const mode: PayPalMode = readEnv('PLATFORM_PAYPAL_MODE', env) === 'live' ? 'live' : 'sandbox'
  return { credentials: { clientId, clientSecret, mode }, planId, webhookId: readEnv('PLATFORM_PAYPAL_WEBHOOK_ID', env) }
}

/** The names of the unset variables, for the operator's log (never the values). */
export function missingPlatformVars(env: NodeJS.ProcessEnv = process.env): string[] {
  return PLATFORM_PAYPAL_VARS.filter(name => !readEnv(name, env))
}

/** What the subscription services need, from the app context's parts. */
export function subscriptionDeps(ctx: { db: Db, clock: Clock, log: Logger, env: Pick<AppEnv, 'publicUrl'> }): SubscriptionDeps {
  return { db: ctx.db, now: () => ctx.clock.now(), platform: platformPayPal(), publicUrl: ctx.env.publicUrl, log: ctx.log }
}
