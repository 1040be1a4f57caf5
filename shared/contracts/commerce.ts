import { z } from 'zod'
import { PLAYER_NAME_MAX, PLAYER_NAME_MIN, PLAYER_NAME_RE } from '../rules/player'
import { UUID_RE } from '../rules/uuid'
import { COUPON_KINDS, COUPON_REASONS, CURRENCIES, TRANSACTION_STATUSES } from './enums'
import { booleanField, integer, intField, isoTime, lineText, typeError, uuidSchema } from './fields'
import {
  BASKET_LINES_MAX, COUPON_CODE_MAX_LENGTH, COUPON_CODE_MIN_LENGTH, MAX_PRICE_CENTS, PURCHASE_QUANTITY_MAX,
  SALE_NAME_MAX_LENGTH, SALE_PERCENT_MAX, SCOPE_IDS_MAX,
} from './limits'

// Storefront commerce: baskets (quote, checkout), coupons and sales. Shared by the server, the
// OpenAPI document, the storefront and the panel.

const currency = z.enum(CURRENCIES)
const quantityMessage = `must be a whole number from 1 to ${PURCHASE_QUANTITY_MAX}`
export const COUPON_CODE_RE = /^[A-Za-z0-9_-]+$/

export const playerNameSchema = z.string(typeError('a string')).regex(PLAYER_NAME_RE, `must be ${PLAYER_NAME_MIN}-${PLAYER_NAME_MAX} characters: letters, digits and underscore only`)
export const playerUuidSchema = z.string(typeError('a string')).regex(UUID_RE, 'must be a canonical UUID (8-4-4-4-12 hex digits)').transform(s => s.toLowerCase())
export const quantitySchema = z.number({ error: quantityMessage }).int(quantityMessage).min(1, 'must be at least 1').max(PURCHASE_QUANTITY_MAX, `must be at most ${PURCHASE_QUANTITY_MAX}`)

const couponCodeSchema = z.string(typeError('a string')).trim()
  .min(COUPON_CODE_MIN_LENGTH, `must be ${COUPON_CODE_MIN_LENGTH}–${COUPON_CODE_MAX_LENGTH} characters`)
  .max(COUPON_CODE_MAX_LENGTH, `must be ${COUPON_CODE_MIN_LENGTH}–${COUPON_CODE_MAX_LENGTH} characters`)
  .regex(COUPON_CODE_RE, 'may hold only letters, digits, "_" and "-"')

/** A basket's coupon field: any short string (an unknown code is a reason, not a 400). */
const basketCouponSchema = z.string(typeError('a string')).trim().max(64, 'must be at most 64 characters')
  .transform(v => (v === '' ? null : v)).nullable().optional()

export const basketLineSchema = z.object({
  item_id: z.string(typeError('a UUID')).regex(UUID_RE, 'must be a UUID').transform(s => s.toLowerCase()),
  quantity: quantitySchema.default(1),
}, { error: 'must be an object { item_id, quantity }' })

/** POST /quote and /checkout. Items must be distinct (one line per item). */
export const basketSchema = z.object({
  player_name: playerNameSchema,
  player_uuid: playerUuidSchema.nullable().optional(),
  lines: z.array(basketLineSchema, typeError('a list of lines'))
    .min(1, 'needs at least one line')
    .max(BASKET_LINES_MAX, `may hold at most ${BASKET_LINES_MAX} lines`)
    .superRefine((lines, ctx) => {
      const seen = new Set<string>()
      lines.forEach((line, i) => {
        if (seen.has(line.item_id)) ctx.addIssue({ code: 'custom', path: [i, 'item_id'], message: 'appears on another line; raise that line\'s quantity instead' })
        seen.add(line.item_id)
      })
    }),
  coupon: basketCouponSchema,
}).meta({ title: 'Basket' })
export type Basket = z.output<typeof basketSchema>
export type BasketInput = z.input<typeof basketSchema>

export const quoteLineSchema = z.strictObject({
  item_id: z.uuid(),
  name: z.string(),
  quantity: integer,
  unit_price_cents: integer.meta({ description: 'The price per unit now (a running sale included)' }),
  line_cents: integer,
})

export const quoteCouponSchema = z.strictObject({
  code: z.string(),
  applied: z.boolean(),
  reason: z.enum(COUPON_REASONS).optional().meta({ description: 'Why the coupon does not apply (only when applied is false)' }),
})

export const quoteSchema = z.strictObject({
  lines: z.array(quoteLineSchema),
  subtotal_cents: integer,
  discount_cents: integer,
  amount_cents: integer,
  currency,
  coupon: quoteCouponSchema.nullable(),
}).meta({ title: 'Quote' })
export type Quote = z.output<typeof quoteSchema>

export const checkoutResultSchema = z.strictObject({
  transaction_id: z.uuid(),
  status: z.enum(TRANSACTION_STATUSES).meta({ description: '`pending` (pay at approval_url), or `paid` for a checkout whose total is 0' }),
  approval_url: z.string().nullable(),
  subtotal_cents: integer,
  discount_cents: integer,
  amount_cents: integer,
  currency,
}).meta({ title: 'CheckoutResult' })
export type CheckoutResult = z.output<typeof checkoutResultSchema>

// Coupons and sales (owner).

const scopeIds = z.array(uuidSchema, typeError('a list of UUIDs')).max(SCOPE_IDS_MAX, `may hold at most ${SCOPE_IDS_MAX} ids`)
  .transform(ids => [...new Set(ids.map(i => i.toLowerCase()))])
// Years PostgreSQL and toISOString() both write plainly: an offset can push year 0001 into 0000 or 9999 into 10000.
const timeInput = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' }).transform(v => new Date(v))
  .refine(d => d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999, 'must be between the years 1 and 9999 (UTC)')

export const couponInputSchema = z.object({
  code: couponCodeSchema,
  kind: z.enum(COUPON_KINDS, { error: 'must be "percent" or "amount"' }),
  value: intField(1, MAX_PRICE_CENTS),
  min_subtotal_cents: intField(1, MAX_PRICE_CENTS * BASKET_LINES_MAX * PURCHASE_QUANTITY_MAX).nullable().default(null),
  starts_at: timeInput.nullable().optional(),
  ends_at: timeInput.nullable().default(null),
  max_uses: intField(1).nullable().default(null),
  max_uses_per_player: intField(1).nullable().default(null),
  item_ids: scopeIds.default([]),
  category_ids: scopeIds.default([]),
  enabled: booleanField.default(true),
}).superRefine((c, ctx) => {
  if (c.kind === 'percent' && c.value > 100) ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be at most 100 for a percent coupon' })
  if (c.starts_at && c.ends_at && c.ends_at <= c.starts_at) ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'must be after starts_at' })
})
export type CouponInput = z.output<typeof couponInputSchema>

export const couponSchema = z.strictObject({
  id: z.uuid(),
  code: z.string(),
  kind: z.enum(COUPON_KINDS),
  value: integer,
  min_subtotal_cents: integer.nullable(),
  starts_at: isoTime,
  ends_at: isoTime.nullable(),
  max_uses: integer.nullable(),
  max_uses_per_player: integer.nullable(),
  item_ids: z.array(z.uuid()),
  category_ids: z.array(z.uuid()),
  enabled: z.boolean(),
  uses: integer.meta({ description: 'Checkouts that used it and are pending, paid or delivered' }),
}).meta({ title: 'Coupon' })
export type Coupon = z.output<typeof couponSchema>
export const couponResponseSchema = z.strictObject({ coupon: couponSchema })
export const couponListResponseSchema = z.strictObject({ coupons: z.array(couponSchema) })

export const saleInputSchema = z.object({
  name: lineText(1, SALE_NAME_MAX_LENGTH),
  percent: intField(1, SALE_PERCENT_MAX),
  starts_at: timeInput,
  ends_at: timeInput,
  item_ids: scopeIds.default([]),
  category_ids: scopeIds.default([]),
}).superRefine((s, ctx) => {
  if (s.ends_at <= s.starts_at) ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'must be after starts_at' })
})
export type SaleInput = z.output<typeof saleInputSchema>

export const saleSchema = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  percent: integer,
  starts_at: isoTime,
  ends_at: isoTime,
  item_ids: z.array(z.uuid()),
  category_ids: z.array(z.uuid()),
}).meta({ title: 'Sale' })
export type Sale = z.output<typeof saleSchema>
/** POST /api/webstore/items/:id/image (multipart/form-data; documented only, the bytes are checked by content). */
export const itemImageUploadSchema = z.object({
  image: z.string().meta({ format: 'binary', description: 'PNG, JPEG, WebP or GIF (decided by the bytes, not the name), at most 2 MB' }),
})

export const imageParamsSchema = z.object({
  id: z.uuid().meta({ description: 'The image id (a new one per upload)' }),
  width: z.string().meta({ description: 'One of the served widths' }),
})
/** The bytes of a served image. */
export const imageBytesSchema = z.string().meta({ format: 'binary' })

export const saleResponseSchema = z.strictObject({ sale: saleSchema })
export const saleListResponseSchema = z.strictObject({ sales: z.array(saleSchema) })
