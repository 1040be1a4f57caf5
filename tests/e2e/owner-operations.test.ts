import { eq } from 'drizzle-orm'
import { expect, it } from 'vitest'
import { deliveries, storeCategories, storeConfig, storeItems, storeTransactionLines, storeTransactions } from '../../server/db/schema'
import { createAccount, serverDb } from '../support/fixtures'
import { describeInBrowser, screenshotBoth, unexpectedErrors } from './fixture'

// The owner's overview and one order's page, at phone and desktop widths, with real data.

const DAY = 86_400_000

describeInBrowser('owner operations (Chromium)', (browser) => {
  it('the dashboard shows money, the chart, top items and recent orders; the order page shows every delivery and confirms a resend', async () => {
    const owner = await createAccount(1, 'ops-ui')
    const licenseId = owner.licenses[0]!.id
    const { db } = await serverDb()
    await db.insert(storeConfig).values({ licenseId, name: 'Stone Age Store', currency: 'EUR' })
    const [cat] = await db.insert(storeCategories).values({ licenseId, name: 'Ranks' }).returning()
    const [vip, kit] = await db.insert(storeItems).values([
      { licenseId, categoryId: cat!.id, name: 'VIP rank (30 days)', priceCents: 499, durationDays: 30, commands: [{ command: 'lp user {player} parent add vip', require_online: false }], revokeCommands: [{ command: 'lp user {player} parent remove vip', require_online: false }] },
      { licenseId, categoryId: cat!.id, name: 'Diamond kit', priceCents: 1299, commands: [{ command: 'give {player} diamond {quantity}', require_online: true }] },
    ]).returning()
    const now = Date.now()
    const players = ['Notch', 'Jeb_', 'Dinnerbone', 'Grumm', 'Alex', 'Steve', 'Herobrine', 'Kai']
    const rows = players.map((player, i) => {
      const item = i % 3 === 0 ? kit! : vip!
      const quantity = i % 3 === 0 ? 2 : 1
      const paidAt = new Date(now - (i * 3 + 1) * DAY / 2)
      return { licenseId, itemId: item.id, itemName: item.name, playerName: player, quantity, unitPriceCents: item.priceCents, amountCents: item.priceCents * quantity, subtotalCents: item.priceCents * quantity, currency: 'EUR' as const, status: (i === 5 ? 'refunded' : i === 2 ? 'failed' : 'delivered') as 'refunded' | 'failed' | 'delivered', paidAt, createdAt: paidAt, deliveredAt: i === 2 ? null : paidAt, paypalOrderId: `5O19${i}0127TN364715T`, paypalCaptureId: `3C67${i}366HH908993F` }
    })
    const txs = await db.insert(storeTransactions).values(rows).returning()
    await db.insert(storeTransactionLines).values(txs.map(t => ({ transactionId: t.id, licenseId, itemId: t.itemId, itemName: t.itemName, position: 0, quantity: t.quantity, unitPriceCents: t.unitPriceCents, regularUnitPriceCents: t.unitPriceCents, lineCents: t.amountCents })))
    const story = txs[2]!
    const message = (id: string, command: string) => ({ id, transaction_id: story.id, player: { name: story.playerName, uuid: null }, commands: [{ command, require_online: false }], created_at: story.createdAt.toISOString() })
    const first = globalThis.crypto.randomUUID()
    await db.insert(deliveries).values({ id: first, licenseId, refId: story.id, reason: 'purchase', payload: message(first, 'lp user Dinnerbone parent add vip'), status: 'failed', ackedAt: new Date(story.createdAt.getTime() + 4000), detail: 'Error: player Dinnerbone is not known to LuckPerms', createdAt: story.createdAt })

    const page = await browser.signedIn(owner, '/admin')
    await page.getByTestId('dashboard').waitFor()
    expect(await page.getByText('Last 30 days').count()).toBe(1)
    expect(await page.locator('svg[role="img"] rect').count()).toBe(30)
    expect(await page.getByRole('heading', { name: 'Top items' }).count()).toBe(1)
    await screenshotBoth(page, 'owner-dashboard')

    await page.goto(`${page.url().replace(/\/admin.*$/, '')}/admin/webstore/transactions/${story.id}`)
    await page.getByTestId('order').waitFor()
    expect(await page.getByTestId('delivery').count()).toBe(1)
    expect(await page.getByTestId('delivery').textContent()).toContain('not known to LuckPerms')
    await page.getByTestId('resend').click()
    await page.getByTestId('confirm').waitFor()
    await screenshotBoth(page, 'owner-order-confirm')
    await page.getByTestId('confirm-resend').click()
    await expect.poll(() => page.getByTestId('delivery').count()).toBe(2)
    await screenshotBoth(page, 'owner-order')
    const reasons = await db.select({ reason: deliveries.reason }).from(deliveries).where(eq(deliveries.refId, story.id))
    expect(reasons.map(r => r.reason).sort()).toEqual(['purchase', 'resend'])
    expect(unexpectedErrors(browser.errors(page))).toEqual([])
  })
})
