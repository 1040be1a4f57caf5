import { describe, expect, it } from 'vitest'
import type { StoreTransactionRow } from '../../server/db/schema'
import { buildDeliveryMessage } from '../../server/domains/agent/outbox'
import { resendDelayMs } from '../../server/domains/agent/relay'
import { licenseFromAckSubject, subjectFor } from '../../server/integrations/nats/subjects'
import { decimalToCents } from '../../shared/rules/money'
import { createOrder, readOrder, refundCapture } from '../../server/integrations/paypal/orders'
import type { PayPalTransport } from '../../server/integrations/paypal/transport'
import { parseWebhookEvent } from '../../server/integrations/paypal/webhooks'
import { storefrontBase, storefrontSubdomain } from '../../server/http/store-host'
import { assertOrderMatches } from '../../server/domains/storefront/settle'

const LICENSE = '11111111-2222-4333-8444-555555555555'

describe('money sent to PayPal', () => {
  it('reads PayPal decimals exactly and nothing looser', () => {
    expect(decimalToCents('12.34')).toBe(1234)
    expect(decimalToCents('12.3')).toBe(1230)
    expect(decimalToCents('12')).toBe(1200)
    for (const bad of ['12.345', '-1.00', '1e3', '', ' 1.00', 12.34, null]) expect(decimalToCents(bad)).toBeNull()
  })

  it('sends only positive whole cents: zero, negative or fractional amounts never reach PayPal', async () => {
    const sent: unknown[] = []
    const transport: PayPalTransport = { execute: async (request) => {
      sent.push(request.body)
      return { id: 'R1', status: 'COMPLETED', amount: { currency_code: 'USD', value: '0.01' } }
    } }
    const order = { transactionId: 'tx', currency: 'USD', description: 'd', returnUrl: 'r', cancelUrl: 'c', brandName: 'b' }
    for (const cents of [0, -250, 1.5, Number.NaN]) {
      await expect(createOrder(transport, { ...order, amountCents: cents })).rejects.toThrow(RangeError)
      await expect(refundCapture(transport, 'C1', { requestId: 'r', amount: { cents, currency: 'USD' } })).rejects.toThrow(RangeError)
    }
    expect(sent).toEqual([])
    await refundCapture(transport, 'C1', { requestId: 'r', amount: { cents: 1, currency: 'USD' } })
    expect(sent).toEqual([{ amount: { currency_code: 'USD', value: '0.01' } }])
  })
})

describe('PayPal order reading', () => {
  const wire = (rel: string) => ({ id: 'O1', status: 'CREATED', purchase_units: [{ custom_id: 'tx', amount: { currency_code: 'USD', value: '4.99' } }], links: [{ rel: 'self', href: 'https://x/self' }, { rel, href: `https://pay/${rel}` }] })
  it('accepts either the approve or the payer-action link', () => {
    expect(readOrder(wire('approve')).approvalUrl).toBe('https://pay/approve')
    expect(readOrder(wire('payer-action')).approvalUrl).toBe('https://pay/payer-action')
    expect(readOrder(wire('payer-action'))).toMatchObject({ id: 'O1', customId: 'tx', amountCents: 499, currency: 'USD', capture: null })
  })
  it('refuses an answer without an id', () => {
    expect(() => readOrder({ status: 'CREATED' })).toThrow()
  })
})

describe('order ↔ transaction match', () => {
  const tx = { id: 'tx-1', paypalOrderId: 'O1', amountCents: 998, currency: 'USD' } as StoreTransactionRow
  const order = { id: 'O1', status: 'COMPLETED', customId: 'tx-1', amountCents: 998, currency: 'USD', approvalUrl: null, capture: { id: 'C1', status: 'COMPLETED', amountCents: 998, currency: 'USD' } }
  it('passes only an exact match', () => {
    expect(() => assertOrderMatches(tx, order)).not.toThrow()
    expect(() => assertOrderMatches(tx, { ...order, customId: 'tx-2' })).toThrow(/another transaction/)
    expect(() => assertOrderMatches(tx, { ...order, amountCents: 1 })).toThrow(/amount/)
    expect(() => assertOrderMatches(tx, { ...order, currency: 'EUR' })).toThrow(/amount or currency/)
    expect(() => assertOrderMatches(tx, { ...order, capture: { ...order.capture, amountCents: 1 } })).toThrow(/captured/)
    expect(() => assertOrderMatches(tx, { ...order, id: 'O2' })).toThrow(/order id/)
  })
})

describe('webhook envelope', () => {
  it('finds the order of order and capture events, and the capture of a refund', () => {
    expect(parseWebhookEvent({ id: 'E1', event_type: 'CHECKOUT.ORDER.APPROVED', resource: { id: 'O1' } })).toMatchObject({ orderId: 'O1', captureId: null })
    expect(parseWebhookEvent({ id: 'E2', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: { id: 'C1', supplementary_data: { related_ids: { order_id: 'O1' } } } })).toMatchObject({ orderId: 'O1', captureId: 'C1' })
    expect(parseWebhookEvent({ id: 'E3', event_type: 'PAYMENT.CAPTURE.REFUNDED', resource: { id: 'R1', links: [{ rel: 'up', href: 'https://api/v2/payments/captures/C9' }] } })).toMatchObject({ orderId: null, captureId: 'C9' })
  })
  it('rejects anything that is not an event', () => {
    for (const bad of [null, [], 'x', {}, { id: 'E', event_type: 'X' }, { id: 1, event_type: 'X', resource: {} }]) expect(parseWebhookEvent(bad)).toBeNull()
  })
})

describe('delivery message', () => {
  it('fills placeholders once: a value never introduces another placeholder', () => {
    const tx = { id: 'tx-1', licenseId: LICENSE, itemId: 'item-1', playerName: 'Steve', playerUuid: null, quantity: 3, unitPriceCents: 499, currency: 'EUR' } as unknown as StoreTransactionRow
    const msg = buildDeliveryMessage('d-1', tx, [{ itemId: 'item-1', quantity: 3, unitPriceCents: 499, commands: [{ command: 'give {player} diamond {quantity} {price} {currency} {item_id} {transaction_id} [{uuid}]', require_online: true }] }], new Date('2026-01-01T00:00:00Z'))
    expect(msg).toEqual({
      id: 'd-1', transaction_id: 'tx-1', player: { name: 'Steve', uuid: null },
      commands: [{ command: 'give Steve diamond 3 4.99 EUR item-1 tx-1 []', require_online: true }],
      created_at: '2026-01-01T00:00:00.000Z',
    })
  })
  it('runs every line\'s commands in basket order, each with its own quantity, item and price', () => {
    const tx = { id: 'tx-2', licenseId: LICENSE, itemId: 'rank', playerName: 'Alex', playerUuid: null, quantity: 1, unitPriceCents: 999, currency: 'USD' } as unknown as StoreTransactionRow
    const msg = buildDeliveryMessage('d-2', tx, [
      { itemId: 'rank', quantity: 1, unitPriceCents: 999, commands: [{ command: 'lp user {player} parent add vip', require_online: false }, { command: 'say {item_id} {quantity} {price}', require_online: false }] },
      { itemId: 'key', quantity: 2, unitPriceCents: 150, commands: [{ command: 'crate give {player} vote {quantity} ({price} {currency})', require_online: true }] },
    ], new Date('2026-01-01T00:00:00Z'))
    expect(msg.commands).toEqual([
      { command: 'lp user Alex parent add vip', require_online: false },
      { command: 'say rank 1 9.99', require_online: false },
      { command: 'crate give Alex vote 2 (1.50 USD)', require_online: true },
    ])
  })
})

describe('relay and subjects', () => {
  it('backs off re-sends exponentially up to a cap', () => {
    expect([1, 2, 3, 4].map(a => resendDelayMs(a, 30_000, 1_800_000))).toEqual([30_000, 60_000, 120_000, 240_000])
    expect(resendDelayMs(20, 30_000, 1_800_000)).toBe(1_800_000)
  })
  it('names subjects by license and reads the license back from ack subjects only', () => {
    expect(subjectFor('delivery', LICENSE)).toBe(`cairn.agent.${LICENSE}.deliveries`)
    expect(subjectFor('module_install', LICENSE)).toBe(`cairn.agent.${LICENSE}.modules.install`)
    expect(licenseFromAckSubject(`cairn.agent.${LICENSE}.acks`)).toBe(LICENSE)
    for (const bad of [`cairn.agent.${LICENSE}.deliveries`, 'cairn.agent.x.acks', `cairn.agent.${LICENSE}.acks.more`, `other.agent.${LICENSE}.acks`]) expect(licenseFromAckSubject(bad)).toBeNull()
  })
})

describe('storefront hosts', () => {
  const env = { publicUrl: 'https://panel.example.com', storeDomain: 'shops.example.com' }
  it('maps <subdomain>.<STORE_DOMAIN> to a subdomain, nothing else', () => {
    expect(storefrontSubdomain('mc-example.shops.example.com', '.shops.example.com')).toBe('mc-example')
    expect(storefrontSubdomain('MC-Example.Shops.Example.com', '.shops.example.com')).toBe('mc-example')
    for (const bad of [undefined, 'shops.example.com', 'a.b.shops.example.com', '-x.shops.example.com', 'evil.com', 'x.shops.example.com.evil.com']) {
      expect(storefrontSubdomain(bad, '.shops.example.com')).toBeNull()
    }
  })
  it('sends PayPal back to the store host only on an exact match, else to /s/<subdomain> on the panel', () => {
    expect(storefrontBase(env, 'mc', 'mc.shops.example.com')).toBe('https://mc.shops.example.com')
    expect(storefrontBase(env, 'mc', 'evil.example')).toBe('https://panel.example.com/s/mc')
    expect(storefrontBase(env, 'mc', undefined)).toBe('https://panel.example.com/s/mc')
  })
})

describe('webhook envelope: PayPal\'s other shapes', () => {
  it('a refund or reversal resource names its capture by the `up` link; a capture names its order by link when supplementary data is absent', () => {
    const refund = { id: 'R2', status: 'COMPLETED', links: [{ rel: 'self', href: 'https://api/v2/payments/refunds/R2' }, { rel: 'up', href: 'https://api/v2/payments/captures/C7' }] }
    expect(parseWebhookEvent({ id: 'E4', event_type: 'PAYMENT.CAPTURE.REVERSED', resource_type: 'refund', resource: refund })).toMatchObject({ orderId: null, captureId: 'C7' })
    const capture = { id: 'C8', custom_id: 'tx-8', links: [{ rel: 'self', href: 'https://api/v2/payments/captures/C8' }, { rel: 'up', href: 'https://api/v2/checkout/orders/O8' }] }
    expect(parseWebhookEvent({ id: 'E5', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource_type: 'capture', resource: capture })).toMatchObject({ orderId: 'O8', captureId: 'C8', customId: 'tx-8' })
  })
})
