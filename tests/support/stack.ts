import type { TestProject } from 'vitest/node'
import { startFakePayPal } from '../fakes/paypal/server'
import { platformPayPalEnv, registerPlatformApp, subscriptionRoutes } from '../fakes/paypal/subscriptions'
import { startFakeSmtp } from '../fakes/smtp/server'
import { createEmptyDatabase } from './postgres'
import { natsReachable, startBuiltServer } from './server'

const PROVIDED = ['baseUrl', 'databaseUrl', 'natsUrl', 'serverLog', 'paypalUrl', 'smtpInboxUrl'] as const

/** Marks a project's tests as skipped on this machine, with the reason printed once. */
export function provideSkip(project: TestProject, name: string, reason: string): void {
  console.warn(`[${name}] skipped: ${reason}`)
  project.provide('skipReason', reason)
  for (const key of PROVIDED) project.provide(key, '')
}

/**
 * The built server on a fresh PostgreSQL database, the machine's NATS (when it answers) and the
 * PayPal fake, with the platform's PayPal app configured, and an SMTP server receiving its mails. Returns the teardown.
 */
export async function startStack(project: TestProject, name: string, extraEnv: Record<string, string> = {}): Promise<() => Promise<void>> {
  const db = await createEmptyDatabase(`cairn_${name}`)
  const natsUrl = (await natsReachable()) ?? ''
  const paypal = await startFakePayPal({ extraRoutes: subscriptionRoutes })
  registerPlatformApp(paypal.state)
  const smtp = await startFakeSmtp()
  const server = await startBuiltServer(name, { DATABASE_URL: db.url, NATS_URL: natsUrl || undefined, PAYPAL_API_BASE: paypal.url, SMTP_URL: smtp.smtpUrl, MAIL_FROM: 'Cairn <no-reply@cairn.test>', ...platformPayPalEnv(), ...extraEnv })
  project.provide('baseUrl', server.url)
  project.provide('databaseUrl', db.url)
  project.provide('natsUrl', natsUrl)
  project.provide('paypalUrl', paypal.url)
  project.provide('smtpInboxUrl', smtp.inboxUrl)
  project.provide('serverLog', server.logFile)
  project.provide('skipReason', '')
  return async () => {
    await server.stop()
    await paypal.close()
    await smtp.close()
    await db.drop()
  }
}
