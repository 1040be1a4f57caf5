import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discordOutbox, storeTransactions } from '../../server/db/schema'
import { sendDueAnnouncements } from '../../server/domains/operations/discord'
import { captureTransaction } from '../../server/domains/storefront/capture'
import { createPurchase } from '../../server/domains/storefront/purchase'
import { findOpenStore } from '../../server/domains/storefront/storefront'
import { saveStoreConfig } from '../../server/domains/webstore/config'
import type { Deps } from '../../server/platform/deps'
import { purchaseInputSchema } from '../../shared/contracts/storefront'
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server'
import { useFakePayPal } from '../support/fake-paypal'
import { approveAsBuyer, createOpenStore, createStoreItem, withPayPal, type StoreFixture } from '../support/paypal'
import { useTestDatabase } from '../support/test-database'

// Purchase announcements on Discord: written with the payment, posted later by the relay,
// retried after Discord's retry_after on 429 and with backoff on 5xx, never holding up a purchase.

const t = useTestDatabase('cairn_discord')
useFakePayPal()
let discord: FakeDiscord
let shop: StoreFixture
let itemId: string

beforeAll(async () => {
  discord = await startFakeDiscord()
  shop = await createOpenStore(t.db, { tag: 'discord' })
  itemId = (await createStoreItem(t.db, shop, { name: 'Diamond kit', priceCents: 1299 })).id
  await saveStoreConfig(withDiscord(t.deps), shop.license.id, { discord_webhook_url: `${discord.url}/api/webhooks/112233445566/tok-en_1` })
})
afterAll(() => discord.close())

function withDiscord<D extends Deps>(deps: D): D {
  return withPayPal(deps, { DISCORD_API_BASE: discord.url })
}

async function paid(player: string, at: string) {
  const deps = withDiscord(t.at(at))
  const open = await findOpenStore(t.deps, shop.subdomain)
  const res = await createPurchase(deps, open, purchaseInputSchema.parse({ item_id: itemId, player_name: player, quantity: 2 }), { storefrontBase: 'http://cairn.test/s/x' })
  const [tx] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, res.transaction_id))
  await approveAsBuyer(tx!.paypalOrderId!)
  await captureTransaction(deps, open, res.transaction_id)
  return res.transaction_id
}

const rowOf = async (txId: string) => (await t.db.select().from(discordOutbox).where(eq(discordOutbox.transactionId, txId)))[0]!

describe('discord announcements', () => {
  it('a paid purchase is queued without calling Discord, then posted once as an embed', async () => {
    const before = discord.attempts
    const txId = await paid('Notch', '2026-07-01T10:00:00Z')
    expect(discord.attempts).toBe(before)
    expect(await rowOf(txId)).toMatchObject({ status: 'pending', attempts: 0 })
    await sendDueAnnouncements(withDiscord(t.at('2026-07-01T10:00:01Z')), fetch)
    await sendDueAnnouncements(withDiscord(t.at('2026-07-01T10:00:02Z')), fetch)
    expect(await rowOf(txId)).toMatchObject({ status: 'sent', attempts: 1 })
    const posted = discord.messages.filter(m => JSON.stringify(m.body).includes('Notch'))
    expect(posted).toHaveLength(1)
    expect(posted[0]).toMatchObject({ webhookId: '112233445566', token: 'tok-en_1', body: { embeds: [{ title: 'New purchase', description: '**Notch** bought Diamond kit ×2', fields: [{ name: 'Amount', value: '25.98 USD' }] }] } })
  })

  it('429 waits retry_after, 500 backs off, then it is sent; nothing before its time', async () => {
    const txId = await paid('Jeb_', '2026-07-02T10:00:00Z')
    discord.failNext(1, 429, 2.5)
    discord.failNext(1, 500)
    const send = (at: string) => sendDueAnnouncements(withDiscord(t.at(at)), fetch)
    await send('2026-07-02T10:00:00Z')
    expect(await rowOf(txId)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date('2026-07-02T10:00:02.500Z') })
    expect(await send('2026-07-02T10:00:02Z')).toBe(0)
    await send('2026-07-02T10:00:02.500Z')
    expect(await rowOf(txId)).toMatchObject({ status: 'pending', attempts: 2, lastError: 'discord answered 500' })
    const { nextAttemptAt } = await rowOf(txId)
    await send(nextAttemptAt.toISOString())
    expect(await rowOf(txId)).toMatchObject({ status: 'sent', attempts: 3 })
  })

  it('a deleted webhook (404) is given up at once', async () => {
    const txId = await paid('Dinnerbone', '2026-07-03T10:00:00Z')
    discord.failNext(1, 404)
    await sendDueAnnouncements(withDiscord(t.at('2026-07-03T10:00:00Z')), fetch)
    expect(await rowOf(txId)).toMatchObject({ status: 'failed', attempts: 1 })
  })
})
