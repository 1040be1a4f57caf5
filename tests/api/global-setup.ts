import type { TestProject } from 'vitest/node'
import { createEmptyDatabase, postgresReachable } from '../support/postgres'
import { natsReachable, startBuiltServer } from '../support/server'
import { startFakePayPal } from '../fakes/paypal/server'
import { platformPayPalEnv, registerPlatformApp, subscriptionRoutes } from '../fakes/paypal/subscriptions'

/** One built server for the whole api project, on a fresh PostgreSQL database and real NATS. */
export default async function setup(project: TestProject) {
  if (!(await postgresReachable())) {
    const reason = 'API tests need the local PostgreSQL (127.0.0.1:5432); it is not reachable'
    console.warn(`[api] skipped: ${reason}`)
    project.provide('skipReason', reason)
    for (const key of ['baseUrl', 'databaseUrl', 'natsUrl', 'serverLog', 'paypalUrl'] as const) project.provide(key, '')
    return
  }
  const db = await createEmptyDatabase('cairn_api')
  const natsUrl = (await natsReachable()) ?? ''
  // The only fake: PayPal's REST API, in this process; the server reaches it via PAYPAL_API_BASE.
  const paypal = await startFakePayPal({ extraRoutes: subscriptionRoutes })
  // The platform's own PayPal app (webstore subscriptions), configured below via PLATFORM_PAYPAL_*.
  registerPlatformApp(paypal.state)
  const server = await startBuiltServer('api', { DATABASE_URL: db.url, NATS_URL: natsUrl || undefined, PAYPAL_API_BASE: paypal.url, ...platformPayPalEnv() })
  project.provide('baseUrl', server.url)
  project.provide('databaseUrl', db.url)
  project.provide('natsUrl', natsUrl)
  project.provide('paypalUrl', paypal.url)
  project.provide('serverLog', server.logFile)
  project.provide('skipReason', '')
  return async () => {
    await server.stop()
    await paypal.close()
    await db.drop()
  }
}
