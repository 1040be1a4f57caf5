import {
  basketSchema, checkoutResultSchema, imageBytesSchema, imageParamsSchema, couponInputSchema, couponListResponseSchema, couponResponseSchema, itemImageUploadSchema,
  quoteSchema, saleInputSchema, saleListResponseSchema, saleResponseSchema,
} from '../../../shared/contracts/commerce'
import { COUPON_REASONS } from '../../../shared/contracts/enums'
import { describeRate, ITEM_IMAGE_MAX_BYTES, ITEM_IMAGE_WIDTHS, PENDING_PURCHASE_TTL_MINUTES, PURCHASES_PER_IP } from '../../../shared/contracts/limits'
import { storeParamsSchema } from '../../../shared/contracts/storefront'
import { itemResponseSchema, resourceIdParamsSchema } from '../../../shared/contracts/webstore'
import { ownerArea } from './common'
import { apiArea, rateLimited } from './registry'

// Storefront commerce: baskets (public), coupons, sales and item images (owner), and the image
// files themselves (public). docs/owner-api.md, "Storefront commerce".

const store = apiArea({ tags: ['Public store'] })
const owner = ownerArea('Storefront commerce')
const images = apiArea({ tags: ['Public store'] })
const params = resourceIdParamsSchema
const reasons = COUPON_REASONS.map(r => `\`${r}\``).join(', ')
const basketExample = { player_name: 'Steve', lines: [{ item_id: '0c9d5a8e-3f2b-4d71-8e6a-91b2c3d4e5f6', quantity: 1 }, { item_id: '5b0f3c8e-6a51-4f7e-9a8b-2d1c0e9f7a61', quantity: 3 }], coupon: 'SPRING10' }
/** Quote and checkout take the same basket, in the same store. */
const basketRequest = { params: storeParamsSchema, body: { schema: basketSchema, examples: { basket: basketExample } } }
const noOpenStore = { description: 'No such open store' }
const scopeRule = '`item_ids` / `category_ids` must be this store\'s (400 naming `item_ids.N` / `category_ids.N`); both empty = the whole store.'

export const commerceOperations = [
  store.post('/api/public-store/{subdomain}/quote', 'quoteBasket', 'Price a basket now (sales and coupon applied); reserves nothing', {
    description: `Lines are priced at the running sale (highest percent wins). A coupon that does not apply answers \`coupon.applied: false\` with \`reason\` (${reasons}) instead of an error.`,
    ...basketRequest,
    responses: {
      200: { description: 'The price', schema: quoteSchema },
      400: { description: 'A bad line (`lines.N.<field>`: unknown item, quantity outside 1–64, an item twice), player name or UUID' },
      404: noOpenStore,
    },
  }),
  store.post('/api/public-store/{subdomain}/checkout', 'checkoutBasket', 'Reserve a whole basket and start one PayPal order', {
    description: `All or nothing, in one database transaction: every line's purchase limit and stock, and the coupon's uses, are checked and reserved together. One PayPal order carries every line (items) and the discount (amount breakdown). A total of 0 (a 100 % coupon) is \`paid\` at once with \`approval_url: null\`. After payment one delivery runs every line's commands in basket order, each with its own {quantity}. Pending checkouts expire after ${PENDING_PURCHASE_TTL_MINUTES} minutes and give back stock, limits and coupon uses. Rate limited per client IP (${describeRate(PURCHASES_PER_IP)}).`,
    ...basketRequest,
    responses: {
      201: { description: 'Reserved (pending at PayPal), or paid when the total is 0', schema: checkoutResultSchema },
      400: { description: 'A bad line (`lines.N.<field>`), player name or UUID; nothing stored' },
      404: noOpenStore,
      409: { description: `A line over its purchase limit or out of stock (\`data.path\` = \`lines.N.quantity\`), or a coupon that cannot be used (\`data.reason\`: ${reasons}); nothing reserved` },
      429: rateLimited(`Too many checkouts from this client IP (${describeRate(PURCHASES_PER_IP)})`),
      503: { description: 'The store has no usable PayPal credentials, or PayPal is unreachable; nothing was charged' },
    },
  }),
  owner.get('/api/webstore/coupons', 'listCoupons', 'Every coupon with its uses', {
    responses: { 200: { description: 'The coupons, by code', schema: couponListResponseSchema } },
  }),
  owner.post('/api/webstore/coupons', 'createCoupon', 'Create a coupon', {
    description: `\`code\` is unique per store ignoring case (409 otherwise). \`starts_at\` defaults to now. ${scopeRule}`,
    body: { schema: couponInputSchema, examples: { spring: { code: 'SPRING10', kind: 'percent', value: 10, max_uses: 100, max_uses_per_player: 1 } } },
    responses: { 201: { description: 'Created', schema: couponResponseSchema }, 409: { description: 'The code is taken in this store' } },
  }),
  owner.put('/api/webstore/coupons/{id}', 'updateCoupon', 'Replace a coupon (its uses stay)', {
    description: `Omitted optional fields reset to their defaults; \`starts_at\` omitted keeps the stored one. ${scopeRule}`,
    params,
    body: { schema: couponInputSchema },
    responses: { 200: { description: 'Updated', schema: couponResponseSchema }, 404: { description: 'No such coupon in this store' }, 409: { description: 'The code is taken in this store' } },
  }),
  owner.delete('/api/webstore/coupons/{id}', 'deleteCoupon', 'Delete a coupon (orders keep the code they used)', {
    params,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such coupon in this store' } },
  }),
  owner.get('/api/webstore/sales', 'listSales', 'Every sale, by start', {
    responses: { 200: { description: 'The sales', schema: saleListResponseSchema } },
  }),
  owner.post('/api/webstore/sales', 'createSale', 'Create a timed sale', {
    description: `While it runs (starts_at ≤ now < ends_at) public items show the sale price. ${scopeRule}`,
    body: { schema: saleInputSchema, examples: { weekend: { name: 'Weekend sale', percent: 20, starts_at: '2026-03-06T18:00:00Z', ends_at: '2026-03-09T06:00:00Z' } } },
    responses: { 201: { description: 'Created', schema: saleResponseSchema } },
  }),
  owner.put('/api/webstore/sales/{id}', 'updateSale', 'Replace a sale', {
    params,
    body: { schema: saleInputSchema },
    responses: { 200: { description: 'Updated', schema: saleResponseSchema }, 404: { description: 'No such sale in this store' } },
  }),
  owner.delete('/api/webstore/sales/{id}', 'deleteSale', 'Delete a sale', {
    params,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such sale in this store' } },
  }),
  owner.post('/api/webstore/items/{id}/image', 'uploadItemImage', 'Upload the item\'s image', {
    description: `The bytes decide the type (PNG, JPEG, WebP or GIF), never the file name. The image is decoded and encoded again (metadata and anything else in the file are dropped) at widths ${ITEM_IMAGE_WIDTHS.join(', ')} (never enlarged), stored in the database, and \`image_url\` points at Cairn's copy.`,
    params,
    body: { schema: itemImageUploadSchema, mediaType: 'multipart/form-data' },
    responses: {
      200: { description: 'The item with its new image_url', schema: itemResponseSchema },
      400: { description: 'No `image` file, or not a PNG/JPEG/WebP/GIF image' },
      404: { description: 'No such item in this store' },
      413: { description: `The image is larger than ${ITEM_IMAGE_MAX_BYTES / 1024 / 1024} MB` },
    },
  }),
  owner.delete('/api/webstore/items/{id}/image', 'deleteItemImage', 'Remove the item\'s uploaded image', {
    params,
    responses: { 200: { description: 'The item, image_url null', schema: itemResponseSchema }, 404: { description: 'No such item in this store' } },
  }),
  images.get('/api/images/{id}/{width}', 'getItemImage', 'An uploaded item image at one width', {
    description: `Public. \`width\` is one of ${ITEM_IMAGE_WIDTHS.join(', ')}. Served with its Content-Type, \`X-Content-Type-Options: nosniff\` and \`Cache-Control: public, max-age=31536000, immutable\` (a new upload gets a new id).`,
    params: imageParamsSchema,
    responses: { 200: { description: 'The image bytes', content: { 'image/png': { schema: imageBytesSchema }, 'image/jpeg': { schema: imageBytesSchema }, 'image/webp': { schema: imageBytesSchema }, 'image/gif': { schema: imageBytesSchema } } }, 404: { description: 'No such image' } },
  }),
]
