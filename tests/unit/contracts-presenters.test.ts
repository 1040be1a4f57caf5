import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import type { AuditEventRow, DeliveryRow, Host, License, ModuleInstallRow, StoreCategoryRow, StoreConfigRow, StoreItemRow, StoreCouponRow, StoreSaleRow, StoreTransactionLineRow, StoreTransactionRow, User, WebstoreSubscriptionRow } from '../../server/db/schema'
import { buildDeliveryMessage } from '../../server/domains/agent/outbox'
import { presentNatsCredentials } from '../../server/domains/agent/credentials'
import { presentAgentStatus } from '../../server/domains/agent/heartbeat'
import { agentStatusSchema } from '../../shared/contracts/agent-runtime'
import { presentSession } from '../../server/domains/auth/sessions'
import { presentTwoFactorStatus } from '../../server/domains/auth/two-factor'
import { presentUser } from '../../server/domains/auth/users'
import { presentBillingReport } from '../../server/domains/hosts/billing'
import { presentHostSummary } from '../../server/domains/hosts/hosts'
import { presentLicense, presentOwnedLicense } from '../../server/domains/licenses/licenses'
import type { PublishedModule } from '../../server/domains/modules/registry'
import { buildInstallMessage, presentInstall, presentModuleListing } from '../../server/domains/modules/installs'
import { presentPublicTransaction } from '../../server/domains/storefront/capture'
import { presentPublicItem, presentPublicStore } from '../../server/domains/storefront/storefront'
import { presentSubscription } from '../../server/domains/subscriptions/subscriptions'
import { presentCategory } from '../../server/domains/webstore/categories'
import { presentStoreConfig } from '../../server/domains/webstore/config'
import { presentItem } from '../../server/domains/webstore/items'
import { presentTransaction } from '../../server/domains/webstore/transactions'
import { presentCoupon } from '../../server/domains/webstore/coupons'
import { presentSale } from '../../server/domains/webstore/sales'
import { presentQuote } from '../../server/domains/storefront/basket'
import { couponSchema, quoteSchema, saleSchema } from '../../shared/contracts/commerce'
import { presentAuditEvent } from '../../server/domains/operations/audit'
import { presentDelivery } from '../../server/domains/operations/deliveries'
import { auditEventSchema, deliverySchema } from '../../shared/contracts/operations'
import type { TransactionWithLines } from '../../server/domains/webstore/transaction-lines'
import { checkHealth } from '../../server/platform/health'
import type { DbHandle } from '../../server/db'
import { deliveryMessageSchema, moduleInstallMessageSchema, natsCredentialsSchema } from '../../shared/contracts/agent'
import { sessionSchema, twoFactorStatusSchema } from '../../shared/contracts/account'
import { userSchema } from '../../shared/contracts/auth'
import { healthSchema } from '../../shared/contracts/health'
import { billingReportSchema, hostSummarySchema } from '../../shared/contracts/host'
import { licenseSchema, listedLicenseSchema, ownedLicenseSchema } from '../../shared/contracts/licenses'
import { moduleInstallSchema, moduleListingSchema } from '../../shared/contracts/modules'
import { publicItemSchema, publicStoreSchema, publicTransactionSchema } from '../../shared/contracts/storefront'
import { subscriptionSchema } from '../../shared/contracts/subscriptions'
import { categorySchema, itemSchema, storeConfigSchema, transactionSchema } from '../../shared/contracts/webstore'

// Every presenter's output parsed with the response schema the OpenAPI document and the panel
// use. The schemas are strict: a field a presenter adds, drops or shapes differently fails here.

const SERVER_DIR = join(import.meta.dirname, '../../server')
const env = { publicUrl: 'https://panel.example.com', storeDomain: 'store.example.com', pluginDownloadUrl: 'https://panel.example.com/downloads/cairn-companion.jar?license={license_key}' }
const at = (iso: string) => new Date(iso)
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

const user: User = { id: uuid(1), email: 'alex@example.com', passwordHash: null, createdAt: at('2026-03-01T10:00:00Z'), updatedAt: at('2026-03-01T10:00:00Z') }
const license: License = {
  id: uuid(2),
  userId: user.id,
  licenseKey: 'CAIRN-7Q2XK-M4PZD-9H3TW-C8VNB',
  companionTokenHash: 'a'.repeat(64),
  companionTokenSealed: 'sealed',
  subdomain: 'mc-example-net',
  hostname: 'mc.example.net',
  status: 'suspended',
  suspendedAt: at('2026-03-04T08:00:00Z'),
  revokedAt: null,
  createdAt: at('2026-03-01T10:00:00Z'),
  updatedAt: at('2026-03-04T08:00:00Z'),
}
const config: StoreConfigRow = {
  id: uuid(3),
  licenseId: license.id,
  name: 'Example Network Store',
  description: 'Ranks and kits',
  currency: 'EUR',
  paypalClientId: 'AZ-client',
  paypalClientSecretSealed: 'sealed-secret',
  paypalMode: 'live',
  paypalWebhookId: null,
  enabled: true,
  monthlyGoalCents: 50000,
  showRecentPurchases: true,
  discordWebhookUrl: 'https://discord.com/api/webhooks/1234567890/secret-token',
  demoStore: false,
  createdAt: at('2026-03-01T10:00:00Z'),
  updatedAt: at('2026-03-02T10:00:00Z'),
}
const category: StoreCategoryRow = { id: uuid(4), licenseId: license.id, name: 'Ranks', description: '', sortOrder: 2, createdAt: at('2026-03-01T10:00:00Z'), updatedAt: at('2026-03-01T11:00:00Z') }
const item: StoreItemRow = {
  id: uuid(5),
  licenseId: license.id,
  categoryId: category.id,
  name: 'VIP',
  description: 'Thirty days of perks',
  priceCents: 499,
  imageUrl: 'https://cdn.example.net/vip.png',
  imageId: null,
  commands: [{ command: 'lp user {player} parent add vip', require_online: false }, { command: 'say {player} is VIP', require_online: true }],
  purchaseLimit: 2,
  stock: 0,
  enabled: true,
  sortOrder: 0,
  revokeCommands: [{ command: 'lp user {player} parent remove vip', require_online: false }],
  durationDays: 30,
  deletedAt: null,
  createdAt: at('2026-03-01T10:00:00Z'),
  updatedAt: at('2026-03-01T10:00:00Z'),
}
const transactionRow: StoreTransactionRow = {
  id: uuid(6),
  licenseId: license.id,
  itemId: item.id,
  itemName: item.name,
  playerName: 'Steve_01',
  playerUuid: '069a79f4-44e9-4726-a5be-fca90e38aaf5',
  quantity: 2,
  unitPriceCents: 499,
  amountCents: 898,
  subtotalCents: 998,
  discountCents: 100,
  couponCode: 'SPRING',
  couponId: uuid(12),
  currency: 'EUR',
  status: 'delivered',
  paypalMode: 'live',
  paypalOrderId: '5O190127TN364715T',
  paypalCaptureId: '3C679366HH908993F',
  approvalUrl: 'https://www.paypal.com/checkoutnow?token=5O190127TN364715T',
  stockReserved: true,
  failureReason: null,
  createdAt: at('2026-03-05T12:00:00.123Z'),
  updatedAt: at('2026-03-05T12:03:00Z'),
  expiresAt: at('2026-03-05T12:30:00Z'),
  paidAt: at('2026-03-05T12:02:00Z'),
  deliveredAt: at('2026-03-05T12:03:00Z'),
  source: 'purchase',
  refundedAt: null,
  endsAt: at('2026-04-04T12:02:00Z'),
  endedAt: null,
  grantedBy: null,
  grantNote: null,
}
const transactionLine: StoreTransactionLineRow = {
  id: uuid(13),
  transactionId: transactionRow.id,
  licenseId: license.id,
  itemId: item.id,
  itemName: item.name,
  position: 0,
  quantity: 2,
  unitPriceCents: 499,
  regularUnitPriceCents: 599,
  lineCents: 998,
  discountCents: 100,
  stockReserved: false,
}
const coupon: StoreCouponRow = {
  id: uuid(12),
  licenseId: license.id,
  code: 'SPRING',
  kind: 'percent',
  value: 10,
  minSubtotalCents: 500,
  startsAt: at('2026-03-01T00:00:00Z'),
  endsAt: at('2026-04-01T00:00:00Z'),
  maxUses: 100,
  maxUsesPerPlayer: 1,
  itemIds: [item.id],
  categoryIds: [],
  enabled: true,
  createdAt: at('2026-03-01T10:00:00Z'),
  updatedAt: at('2026-03-01T10:00:00Z'),
}
const sale: StoreSaleRow = {
  id: uuid(14),
  licenseId: license.id,
  name: 'Spring sale',
  percent: 20,
  startsAt: at('2026-03-01T00:00:00Z'),
  endsAt: at('2026-03-08T00:00:00Z'),
  itemIds: [],
  categoryIds: [category.id],
  createdAt: at('2026-03-01T10:00:00Z'),
  updatedAt: at('2026-03-01T10:00:00Z'),
}
const deliveryLines = [{ itemId: item.id, quantity: 2, unitPriceCents: 499, commands: item.commands }]
const transaction: TransactionWithLines = { ...transactionRow, lines: [transactionLine] }
const pending: TransactionWithLines = { ...transaction, id: uuid(7), playerUuid: null, status: 'pending', paypalOrderId: null, paypalCaptureId: null, paidAt: null, deliveredAt: null }
const subscription: WebstoreSubscriptionRow = {
  id: uuid(8),
  licenseId: license.id,
  status: 'CANCELLED',
  paypalSubscriptionId: 'I-BW452GLLEP1G',
  planId: 'P-5ML4271244454362WXNWU5NQ',
  currentPeriodEnd: at('2026-04-01T00:00:00Z'),
  cancelledAt: at('2026-03-20T09:00:00Z'),
  createdAt: at('2026-03-01T10:00:00Z'),
  updatedAt: at('2026-03-20T09:00:00Z'),
}
const install: ModuleInstallRow = {
  id: uuid(9),
  licenseId: license.id,
  moduleId: 'webstore',
  version: '1.3.0',
  status: 'failed',
  detail: 'checksum mismatch',
  finishedAt: at('2026-03-06T10:00:00Z'),
  createdAt: at('2026-03-06T09:59:00Z'),
  updatedAt: at('2026-03-06T10:00:00Z'),
}
const host: Host = {
  id: uuid(10),
  name: 'Example Hosting',
  apiKeyHash: 'b'.repeat(64),
  keyPrefix: 'cairn_host_AbCdEf',
  status: 'active',
  rateCents: 600,
  currency: 'USD',
  lastUsedAt: null,
  createdAt: at('2026-01-01T00:00:00Z'),
  updatedAt: at('2026-01-01T00:00:00Z'),
}
const catalogModule: PublishedModule = {
  id: 'webstore',
  name: 'Webstore',
  description: 'Runs webstore purchases in game.',
  versions: [{ version: '1.3.0', sha256: 'a'.repeat(64), size: 12, filename: 'webstore-1.3.0.jar', published_at: '2026-03-01T00:00:00.000Z' }],
}
const deliveryRow: DeliveryRow = {
  id: uuid(15),
  licenseId: license.id,
  kind: 'delivery',
  refId: transactionRow.id,
  reason: 'revoke',
  payload: { id: uuid(15), transaction_id: transactionRow.id, player: { name: 'Steve_01', uuid: null }, commands: [{ command: 'lp user Steve_01 parent remove vip', require_online: false }], created_at: '2026-03-06T10:00:00.000Z' },
  status: 'done',
  attempts: 1,
  nextAttemptAt: at('2026-03-06T10:00:30Z'),
  sentAt: at('2026-03-06T10:00:00Z'),
  ackedAt: at('2026-03-06T10:00:02Z'),
  detail: 'Removed Steve_01 from vip',
  createdAt: at('2026-03-06T10:00:00Z'),
  updatedAt: at('2026-03-06T10:00:02Z'),
}
const auditRow: AuditEventRow = { id: uuid(16), licenseId: license.id, userId: user.id, actorEmail: user.email, action: 'config.update', targetId: null, detail: { paypal_client_secret: 'set', name: 'Shop' }, at: at('2026-03-06T10:00:00Z') }

/** Each presenter with realistic input, and the schema its output must satisfy. */
const cases: Array<{ presenter: string, schema: z.ZodType, outputs: unknown[] }> = [
  { presenter: 'presentUser', schema: userSchema, outputs: [presentUser(user)] },
  {
    presenter: 'presentSession',
    schema: sessionSchema,
    outputs: [
      presentSession({ id: uuid(20), userId: user.id, createdAt: at('2026-03-01T10:00:00Z'), lastSeenAt: at('2026-03-01T11:00:00Z'), expiresAt: at('2026-03-01T22:00:00Z'), revokedAt: null, ip: '203.0.113.7', userAgent: 'Mozilla/5.0' }, uuid(20)),
      presentSession({ id: uuid(21), userId: user.id, createdAt: at('2026-03-01T10:00:00Z'), lastSeenAt: at('2026-03-01T10:00:00Z'), expiresAt: at('2026-03-01T22:00:00Z'), revokedAt: null, ip: null, userAgent: null }, uuid(20)),
    ],
  },
  { presenter: 'presentTwoFactorStatus', schema: twoFactorStatusSchema, outputs: [presentTwoFactorStatus(undefined, 0), presentTwoFactorStatus({ enabledAt: at('2026-03-01T10:00:00Z') }, 7)] },
  {
    presenter: 'presentLicense',
    schema: licenseSchema,
    outputs: [
      presentLicense(env, license, { customerEmail: user.email, serverId: 'srv-1042', provisionedAt: at('2026-03-01T10:00:00Z'), companionToken: 'cairn_agent_secret', claimToken: 'q3J9v0m2X7cK1pLd8sYf4wHtZb6nRe5A' }),
      presentLicense(env, { ...license, status: 'revoked', hostname: null, revokedAt: at('2026-03-09T00:00:00Z') }, { customerEmail: user.email }),
    ],
  },
  { presenter: 'presentLicense (in lists)', schema: listedLicenseSchema, outputs: [presentLicense(env, license, { customerEmail: user.email, serverId: 'srv-1042', claimToken: null })] },
  { presenter: 'presentOwnedLicense', schema: ownedLicenseSchema, outputs: [presentOwnedLicense(license)] },
  { presenter: 'presentHostSummary', schema: hostSummarySchema, outputs: [presentHostSummary(host), presentHostSummary({ ...host, status: 'suspended', lastUsedAt: at('2026-03-02T00:00:00Z') })] },
  {
    presenter: 'presentBillingReport',
    schema: billingReportSchema,
    outputs: [
      presentBillingReport(
        { month: '2026-02', status: 'closed', currency: 'EUR', rateCents: 600, billableLicenses: 2, amountCents: 1200, generatedAt: at('2026-03-01T00:00:05Z') },
        [
          { licenseId: uuid(2), serverId: 'srv-1', hostname: 'mc.example.net', customerEmail: user.email, provisionedAt: at('2026-01-10T00:00:00Z'), revokedAt: null },
          { licenseId: uuid(11), serverId: 'srv-2', hostname: null, customerEmail: 'sam@example.org', provisionedAt: at('2026-01-11T00:00:00Z'), revokedAt: at('2026-02-11T00:00:00Z') },
        ],
      ),
      presentBillingReport({ month: '2026-03', status: 'open', currency: 'USD', rateCents: 0, billableLicenses: null, amountCents: null, generatedAt: at('2026-03-15T00:00:00Z') }, []),
    ],
  },
  { presenter: 'presentStoreConfig', schema: storeConfigSchema, outputs: [presentStoreConfig(env, license, config), presentStoreConfig(env, license, { ...config, paypalClientSecretSealed: null, paypalWebhookId: 'WH-1' })] },
  { presenter: 'presentCategory', schema: categorySchema, outputs: [presentCategory(category)] },
  { presenter: 'presentItem', schema: itemSchema, outputs: [presentItem(item), presentItem({ ...item, imageUrl: null, purchaseLimit: null, stock: null })] },
  { presenter: 'presentDelivery', schema: deliverySchema, outputs: [presentDelivery(deliveryRow), presentDelivery({ ...deliveryRow, reason: 'resend', status: 'pending', ackedAt: null, detail: null })] },
  { presenter: 'presentAuditEvent', schema: auditEventSchema, outputs: [presentAuditEvent(auditRow), presentAuditEvent({ ...auditRow, userId: null, action: 'grant.create', targetId: uuid(6) })] },
  { presenter: 'presentTransaction', schema: transactionSchema, outputs: [presentTransaction(transaction), presentTransaction(pending)] },
  { presenter: 'presentSubscription', schema: subscriptionSchema, outputs: [presentSubscription(subscription), presentSubscription({ ...subscription, status: 'APPROVAL_PENDING', paypalSubscriptionId: null, currentPeriodEnd: null, cancelledAt: null })] },
  { presenter: 'presentInstall', schema: moduleInstallSchema, outputs: [presentInstall(install), presentInstall({ ...install, status: 'queued', detail: null, finishedAt: null }, 'sent')] },
  {
    presenter: 'presentModuleListing',
    schema: moduleListingSchema,
    outputs: [presentModuleListing(catalogModule, presentInstall(install), '1.2.1'), presentModuleListing(catalogModule, null, null)],
  },
  {
    presenter: 'presentPublicStore',
    schema: publicStoreSchema,
    outputs: [
      presentPublicStore({ license, config }, [category], { goal: { goal_cents: 50000, progress_cents: 1234 }, recent_purchases: [{ player_name: 'Steve_01', item_name: 'VIP', at: '2026-03-05T12:02:00.000Z' }] }),
      presentPublicStore({ license, config }, [category], { goal: null, recent_purchases: null }),
    ],
  },
  {
    presenter: 'presentPublicItem',
    schema: publicItemSchema,
    outputs: [
      presentPublicItem(item, 'EUR', { unitCents: 399, regularCents: 499, sale: sale }),
      presentPublicItem({ ...item, categoryId: null, stock: null }, 'USD', { unitCents: 499, regularCents: 499, sale: null }),
    ],
  },
  { presenter: 'presentCoupon', schema: couponSchema, outputs: [presentCoupon({ ...coupon, uses: 3 }), presentCoupon({ ...coupon, endsAt: null, maxUses: null, maxUsesPerPlayer: null, minSubtotalCents: null, uses: 0 })] },
  { presenter: 'presentSale', schema: saleSchema, outputs: [presentSale(sale)] },
  {
    presenter: 'presentQuote',
    schema: quoteSchema,
    outputs: [
      presentQuote({ license, config }, { player_name: 'Steve_01', lines: [{ item_id: item.id, quantity: 2 }], coupon: 'SPRING' }, {
        lines: [{ item: item, quantity: 2, unitCents: 399, regularCents: 499, lineCents: 798, discountCents: 80 }],
        subtotalCents: 798,
        discountCents: 80,
        amountCents: 718,
        coupon: { applied: true, coupon, discounts: [80] },
      }),
      presentQuote({ license, config }, { player_name: 'Steve_01', lines: [{ item_id: item.id, quantity: 1 }], coupon: 'NOPE' }, {
        lines: [{ item: item, quantity: 1, unitCents: 499, regularCents: 499, lineCents: 499, discountCents: 0 }],
        subtotalCents: 499,
        discountCents: 0,
        amountCents: 499,
        coupon: { applied: false, coupon: null, reason: 'unknown' },
      }),
    ],
  },
  { presenter: 'presentPublicTransaction', schema: publicTransactionSchema, outputs: [presentPublicTransaction(transaction), presentPublicTransaction(pending)] },
  { presenter: 'buildDeliveryMessage', schema: deliveryMessageSchema, outputs: [buildDeliveryMessage(uuid(12), transaction, deliveryLines, at('2026-03-05T12:02:00Z')), buildDeliveryMessage(uuid(13), pending, deliveryLines, at('2026-03-05T12:02:00Z'))] },
  { presenter: 'presentAgentStatus', schema: agentStatusSchema, outputs: [presentAgentStatus(undefined, at('2026-03-05T12:02:00Z')), presentAgentStatus({ licenseId: uuid(14), lastSeenAt: at('2026-03-05T12:01:00Z'), version: '0.1.0', executor: 'rcon' }, at('2026-03-05T12:02:00Z'))] },
  { presenter: 'presentNatsCredentials', schema: natsCredentialsSchema, outputs: [presentNatsCredentials(uuid(2), ['nats://nats.example.com:4222'], 'eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.c2ln', '2026-03-05T13:02:00.000Z')] },
  { presenter: 'buildInstallMessage', schema: moduleInstallMessageSchema, outputs: [buildInstallMessage({ env }, uuid(9), catalogModule, catalogModule.versions[0]!)] },
]

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
}

describe('presenters answer exactly their response schema', () => {
  for (const { presenter, schema, outputs } of cases) {
    it(presenter, () => {
      for (const output of outputs) {
        const result = schema.safeParse(output)
        expect(result.success ? [] : result.error.issues, JSON.stringify(output).slice(0, 200)).toEqual([])
      }
    })
  }

  it('health answers its schema, up and down', async () => {
    const up = { ping: async () => {} } as unknown as DbHandle
    const down = { ping: async () => { throw new Error('connection refused') } } as unknown as DbHandle
    expect(healthSchema.parse(await checkHealth(up, { natsUrl: undefined }))).toEqual({ status: 'ok', db: 'ok', nats: 'disabled' })
    expect(healthSchema.parse(await checkHealth(down, { natsUrl: 'nats://127.0.0.1:4222' }))).toMatchObject({ status: 'error', db: 'down' })
  })

  it('a field a presenter adds or drops fails the strict schema', () => {
    const good = presentItem(item)
    expect(itemSchema.safeParse({ ...good, commands_raw: good.commands }).success).toBe(false)
    const { sort_order: _dropped, ...missing } = good
    expect(itemSchema.safeParse(missing).success).toBe(false)
  })

  it('covers every exported presenter under server/domains', () => {
    const exported = walk(join(SERVER_DIR, 'domains')).flatMap((file) => {
      const names = [...readFileSync(file, 'utf8').matchAll(/export function (present\w+|build\w+Message)\(/g)].map(m => m[1]!)
      return names.map(name => ({ name, file: relative(SERVER_DIR, file) }))
    })
    const tested = new Set(cases.map(c => c.presenter.split(' ')[0]))
    expect(exported.length).toBeGreaterThanOrEqual(cases.length - 1)
    expect(exported.filter(p => !tested.has(p.name))).toEqual([])
  })
})
