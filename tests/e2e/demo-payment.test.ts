import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openDb, type DbHandle } from '../../server/db'
import { deliveries, licenses } from '../../server/db/schema'
import { openCompanionToken } from '../../server/domains/licenses/licenses'
import { axeViolations } from '../support/axe'
import { screenshot, VIEWPORTS } from '../support/browser'
import { testKeys } from '../support/keys'
import { createEmptyDatabase } from '../support/postgres'
import { startBuiltServer, type RunningServer } from '../support/server'
import { describeInBrowser } from './fixture'

// The embedded demo as a newcomer meets it: a server with the demo seed OUTSIDE production (the
// shared e2e server runs NODE_ENV=production, where demo mode is refused), Buy on /s/demo → Cairn's
// own demo approval page (axe at 390 and 1280 px) → Approve → the return page, which shows paid
// and then delivered once the agent (here: the HTTP queue and ack, as the shipped agent does) acks.

let server: RunningServer
let handle: DbHandle
let dropDb: () => Promise<void>
let token: string

describeInBrowser('demo payment (embedded demo store)', (browser) => {
  beforeAll(async () => {
    const db = await createEmptyDatabase('cairn_e2e_demo')
    dropDb = db.drop
    server = await startBuiltServer('e2e-demo', { DATABASE_URL: db.url, NATS_URL: undefined, SEED_DEMO: 'true', NODE_ENV: 'development' })
    handle = await openDb({ databaseUrl: db.url, maxConnections: 2 })
    const [demo] = await handle.db.select().from(licenses).where(eq(licenses.subdomain, 'demo'))
    if (!demo) throw new Error('SEED_DEMO did not create the demo license')
    token = openCompanionToken({ keys: testKeys }, demo)
  }, 120_000)
  afterAll(async () => {
    await server?.stop()
    await handle?.close()
    await dropDb?.()
  })

  /** What the agent does over HTTP: take the queue, run the commands, ack them done. */
  async function agentDelivers(transactionId: string): Promise<string[]> {
    const auth = { authorization: `Bearer ${token}` }
    const queue = await fetch(`${server.url}/api/agent/queue?wait=10`, { headers: auth }).then(r => r.json()) as { deliveries: Array<{ transaction_id: string, commands: Array<{ command: string }> }> }
    const message = queue.deliveries.find(d => d.transaction_id === transactionId)
    const [row] = await handle.db.select().from(deliveries).where(eq(deliveries.refId, transactionId))
    const ack = await fetch(`${server.url}/api/agent/acks`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ acks: [{ id: row!.id, kind: 'delivery', status: 'done' }] }) })
    expect(ack.status).toBe(200)
    return message?.commands.map(c => c.command) ?? []
  }

  for (const [label, viewport] of [['390', VIEWPORTS.mobile], ['1280', VIEWPORTS.desktop]] as const) {
    it(`Buy → demo approval page (no axe violations at ${label} px) → Approve → paid, then delivered`, async () => {
      // axe is injected as an inline script, which the store's CSP (rightly) refuses.
      const page = await browser.page(viewport, { bypassCSP: true })
      await page.goto(`${server.url}/s/demo`)
      await page.locator('[data-buy]').first().click()
      await page.locator('[data-buy-form] input').first().fill('Steve')
      await page.locator('[data-checkout]').click()
      await page.waitForURL(/\/s\/demo\/demo-pay\/[0-9a-f-]{36}$/)
      const transactionId = page.url().split('/').pop()!
      await page.locator('[data-demo-banner]', { hasText: 'Demo payment: no money moves' }).waitFor()
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Approve this demo order')
      expect(await page.locator('main').textContent()).toContain('$4.99')
      expect(await axeViolations(page)).toEqual([])
      await screenshot(page, `demo-pay-${label}`)

      await page.getByRole('button', { name: 'Approve demo payment' }).click()
      await page.waitForURL(new RegExp(`/s/demo/return\\?tx=${transactionId}$`))
      await page.locator('[data-status]', { hasText: 'paid' }).waitFor()

      expect(await agentDelivers(transactionId)).toContain('lp user Steve parent addtemp vip 30d')
      await page.locator('[data-status]', { hasText: 'delivered' }).waitFor()
      await screenshot(page, `demo-pay-delivered-${label}`)
      expect(browser.errors(page)).toEqual([])
    })
  }
})
