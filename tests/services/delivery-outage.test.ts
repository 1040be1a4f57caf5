import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliveries, storeTransactionLines, storeTransactions } from '../../server/db/schema'
import { OutboxRelay } from '../../server/domains/agent/relay'
import { NatsLink } from '../../server/integrations/nats/connection'
import { markPaid } from '../../server/domains/storefront/transitions'
import { startTestAgent } from '../support/agent'
import { quietLog } from '../support/deps'
import { useFakePayPal } from '../support/fake-paypal'
import { createOpenStore, createStoreItem, type StoreFixture } from '../support/paypal'
import { freePort } from '../support/server'
import { useTestDatabase, type UsedTestDatabase } from '../support/test-database'

// A private nats-server (never the machine's shared one) that this test stops and restarts.
const NATS_BIN = '/usr/sbin/nats-server'

let t: UsedTestDatabase
let shop: StoreFixture
let storeDir: string
let port: number
let nats: ChildProcess | undefined

async function startNats(): Promise<void> {
  nats = spawn(NATS_BIN, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], { stdio: 'ignore' })
  const { connect } = await import('node:net')
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port })
      s.once('connect', () => (s.destroy(), resolve(true)))
      s.once('error', () => resolve(false))
    })
    if (up) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error('private nats-server did not start')
}

async function stopNats(): Promise<void> {
  const proc = nats
  nats = undefined
  if (!proc || proc.exitCode !== null) return
  const exited = new Promise(resolve => proc.once('exit', resolve))
  proc.kill('SIGTERM')
  await exited
}

async function paidTransaction(player: string) {
  const item = await createStoreItem(t.db, shop)
  const [tx] = await t.db.insert(storeTransactions).values({
    licenseId: shop.license.id, itemId: item.id, itemName: item.name, playerName: player, quantity: 1,
    unitPriceCents: item.priceCents, amountCents: item.priceCents, currency: 'USD', status: 'pending', expiresAt: new Date(Date.now() + 60_000),
  }).returning()
  // Every order has its lines (checkout writes them; migration 0007 backfilled older ones).
  await t.db.insert(storeTransactionLines).values({ transactionId: tx!.id, licenseId: shop.license.id, itemId: item.id, itemName: item.name, position: 0, quantity: 1, unitPriceCents: item.priceCents, regularUnitPriceCents: item.priceCents, lineCents: item.priceCents })
  await markPaid(t.deps, shop.license.id, tx!.id, 'CAPTURE1')
  const [row] = await t.db.select().from(deliveries).where(eq(deliveries.refId, tx!.id))
  return row!
}

const rowStatus = async (id: string) => (await t.db.select({ s: deliveries.status }).from(deliveries).where(eq(deliveries.id, id)))[0]?.s

/** The relay marks a row sent when its transaction commits, just after the agent may have it. */
async function eventuallySent(id: string): Promise<string | undefined> {
  for (let i = 0; i < 50 && (await rowStatus(id)) !== 'sent'; i++) await new Promise(resolve => setTimeout(resolve, 100))
  return rowStatus(id)
}

describe.skipIf(!existsSync(NATS_BIN))('NATS outage', () => {
  t = useTestDatabase('cairn_delivery_outage')
  useFakePayPal()
  beforeAll(async () => {
    shop = await createOpenStore(t.db, { tag: 'outage' })
    storeDir = mkdtempSync(join(tmpdir(), 'cairn-nats-'))
    port = await freePort()
  })
  afterAll(async () => {
    await stopNats()
    rmSync(storeDir, { recursive: true, force: true })
  })

  it('deliveries wait in the outbox while NATS is down and go out once it is back', async () => {
    const url = `nats://127.0.0.1:${port}`
    // Down from the start: the app starts anyway and the row stays pending.
    const link = new NatsLink(url, quietLog)
    void link.connection().catch(() => {})
    const relay = new OutboxRelay({ ...t.deps, nats: link }, { pollMs: 100 })
    relay.start()
    try {
      const first = await paidTransaction('Early')
      await new Promise(resolve => setTimeout(resolve, 1000))
      expect(await rowStatus(first.id)).toBe('pending')

      await startNats()
      const agent = await startTestAgent(url, shop.license.id)
      try {
        expect((await agent.waitFor(m => m.id === first.id, 20_000)).transaction_id).toBe(first.refId)
        expect(await eventuallySent(first.id)).toBe('sent')

        // An outage after connecting: new rows wait, nothing is lost, nothing is sent twice.
        await stopNats()
        const second = await paidTransaction('During')
        await new Promise(resolve => setTimeout(resolve, 1500))
        expect(await rowStatus(second.id)).toBe('pending')
        await startNats()
        await agent.waitFor(m => m.id === second.id, 30_000)
        expect(await eventuallySent(second.id)).toBe('sent')
        await new Promise(resolve => setTimeout(resolve, 500))
        expect(agent.received.filter(m => m.id === first.id)).toHaveLength(1)
        expect(agent.received.filter(m => m.id === second.id)).toHaveLength(1)
      }
      finally {
        await agent.close()
      }
    }
    finally {
      await relay.stop()
      await link.close()
    }
  }, 90_000)
})
