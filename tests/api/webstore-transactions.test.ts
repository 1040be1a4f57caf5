import { beforeAll, describe, expect, inject, it } from 'vitest'
import { storeTransactions } from '../../server/db/schema'
import type { TransactionStatus } from '../../shared/contracts/enums'
import { asOwner, serverDb, twoOwnersWithItem, type Owner } from '../support/fixtures'
import { call, fakeIp } from '../support/http'

const skip = inject('skipReason')

interface Tx { id: string, player_name: string, status: string, created_at: string, item_name: string, amount_cents: number }
interface TxPage { transactions: Tx[], next_cursor: string | null }

describe.skipIf(skip)('webstore transactions API', () => {
  let alice: Owner
  let bob: Owner
  beforeAll(async () => {
    const arranged = await twoOwnersWithItem('tx')
    alice = arranged.alice
    bob = arranged.bob
    const { db } = await serverDb()
    const statuses: TransactionStatus[] = ['pending', 'paid', 'delivered', 'failed', 'refunded', 'reversed', 'expired']
    const base = Date.parse('2026-03-01T10:00:00Z')
    await db.insert(storeTransactions).values(Array.from({ length: 60 }, (_, i) => ({
      licenseId: arranged.licenseId,
      itemId: arranged.itemId,
      itemName: i === 0 ? '=HYPERLINK("http://evil")' : 'VIP',
      playerName: i % 4 === 0 ? 'Steve' : `Player${i}`,
      playerUuid: null,
      quantity: 1,
      unitPriceCents: 499,
      amountCents: 499,
      currency: 'USD' as const,
      status: statuses[i % statuses.length]!,
      paypalOrderId: `ORDER-${i}`,
      // Pairs share a timestamp: the cursor must break ties by id.
      createdAt: new Date(base + Math.floor(i / 2) * 60_000),
    })))
  })

  it('pages newest first with limit and an opaque cursor until next_cursor is null', async () => {
    const first = await call<TxPage>('/api/webstore/transactions', asOwner(alice))
    expect(first.status).toBe(200)
    expect(first.body.transactions).toHaveLength(50)
    expect(first.body.next_cursor).toEqual(expect.any(String))
    const ids: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res: Awaited<ReturnType<typeof call<TxPage>>> = await call<TxPage>(`/api/webstore/transactions?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, asOwner(alice))
      expect(res.status).toBe(200)
      expect(res.body.transactions.length).toBeLessThanOrEqual(7)
      ids.push(...res.body.transactions.map(t => t.id))
      cursor = res.body.next_cursor
      pages++
    } while (cursor && pages < 20)
    expect(pages).toBe(9)
    expect(new Set(ids).size).toBe(60)
    const everything = await call<TxPage>('/api/webstore/transactions?limit=500', asOwner(alice))
    expect(everything.body.next_cursor).toBeNull()
    expect(everything.body.transactions.map(t => t.id)).toEqual(ids)
    const times = everything.body.transactions.map(t => Date.parse(t.created_at))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(Object.keys(everything.body.transactions[0]!).sort()).toEqual(['amount_cents', 'created_at', 'currency', 'delivered_at', 'id', 'item_id', 'item_name', 'paid_at', 'paypal_order_id', 'player_name', 'player_uuid', 'quantity', 'status', 'lines', 'subtotal_cents', 'discount_cents', 'coupon_code', 'source', 'refunded_at', 'ends_at', 'ended_at'].sort())
  })

  it('filters by status and by player (case-insensitive)', async () => {
    const delivered = await call<TxPage>('/api/webstore/transactions?status=delivered&limit=500', asOwner(alice))
    expect(delivered.status).toBe(200)
    expect(delivered.body.transactions.length).toBeGreaterThan(0)
    expect(delivered.body.transactions.every(t => t.status === 'delivered')).toBe(true)
    const steve = await call<TxPage>('/api/webstore/transactions?player=sTeVe&limit=500', asOwner(alice))
    expect(steve.body.transactions).toHaveLength(15)
    expect(steve.body.transactions.every(t => t.player_name === 'Steve')).toBe(true)
    const both = await call<TxPage>('/api/webstore/transactions?player=steve&status=pending&limit=500', asOwner(alice))
    expect(both.body.transactions.every(t => t.player_name === 'Steve' && t.status === 'pending')).toBe(true)
  })

  it('rejects bad query parameters with a 400 naming them', async () => {
    for (const [query, path] of [['status=shipped', 'status'], ['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=abc', 'limit'], ['cursor=garbage!', 'cursor'], ['cursor=Zm9v', 'cursor'], ['format=xml', 'format'], ['player=a%00b', 'player']] as const) {
      const res = await call(`/api/webstore/transactions?${query}`, asOwner(alice))
      expect(res.status, query).toBe(400)
      expect((res.body as { data: { issues: { path: string }[] } }).data.issues.map(i => i.path)).toContain(path)
    }
  })

  it('exports CSV with the billing CSV rules', async () => {
    const res = await call('/api/webstore/transactions?format=csv&status=pending', asOwner(alice))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="cairn-transactions-.+\.csv"$/)
    const lines = res.text.trimEnd().split('\r\n')
    expect(lines[0]).toBe('id,created_at,item_id,item_name,player_name,player_uuid,quantity,amount_cents,currency,status,paypal_order_id,paid_at,delivered_at,lines,subtotal_cents,discount_cents,coupon_code')
    expect(lines).toHaveLength(1 + 9)
    expect(lines.slice(1).every(l => l.includes(',pending,'))).toBe(true)

    const all = await call('/api/webstore/transactions', asOwner(alice, { headers: { accept: 'text/csv' } }))
    expect(all.headers.get('content-type')).toContain('text/csv')
    expect(all.text.trimEnd().split('\r\n')).toHaveLength(61)
    // Formula cells are neutralised and quoted.
    expect(all.text).toContain(`"'=HYPERLINK(""http://evil"")"`)
  })

  it('scopes by license: another owner sees nothing and gets 404 for a foreign license', async () => {
    const own = await call<TxPage>('/api/webstore/transactions', asOwner(bob))
    expect(own.body).toEqual({ transactions: [], next_cursor: null })
    const foreign = await call('/api/webstore/transactions', { token: bob.token, headers: { 'x-license-id': alice.licenses[0]!.id, 'x-forwarded-for': fakeIp() } })
    expect(foreign.status).toBe(404)
    const csv = await call('/api/webstore/transactions?format=csv', { token: bob.token, headers: { 'x-license-id': alice.licenses[0]!.id, 'x-forwarded-for': fakeIp() } })
    expect(csv.status).toBe(404)
    // Alice's cursor replayed by Bob still only reads Bob's rows.
    const page = await call<TxPage>('/api/webstore/transactions?limit=5', asOwner(alice))
    const replay = await call<TxPage>(`/api/webstore/transactions?cursor=${page.body.next_cursor}`, asOwner(bob))
    expect(replay.body.transactions).toEqual([])
    expect((await call('/api/webstore/transactions')).status).toBe(401)
  })
})
