import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { storeImages, storeItems } from '../../server/db/schema'
import { findImage, removeItemImage, setItemImage, sniffImage } from '../../server/domains/webstore/images'
import { updateItem } from '../../server/domains/webstore/items'
import { ITEM_IMAGE_WIDTHS } from '../../shared/contracts/limits'
import { itemInputSchema } from '../../shared/contracts/webstore'
import { imageSrcset } from '../../shared/rules/images'
import { pngChunkTypes, pngWithTextChunk, solidImage } from '../support/images'
import { createOpenStore, createStoreItem } from '../support/paypal'
import { useFakePayPal } from '../support/fake-paypal'
import { useTestDatabase } from '../support/test-database'

// Uploaded item images: sniffed by content, re-encoded (metadata gone), stored in the database per
// width, and never crossing stores.

const t = useTestDatabase('cairn_item_images')
useFakePayPal()

describe('item images', () => {
  it('sniffs PNG, JPEG, WebP and GIF by their bytes; anything else is not an image', async () => {
    for (const format of ['png', 'jpeg', 'webp', 'gif'] as const) expect(sniffImage(await solidImage(format))).toBe(format)
    expect(sniffImage(Buffer.from('just some text, named cat.png'))).toBeNull()
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
  })

  it('a text file named .png → 400, nothing stored', async () => {
    const shop = await createOpenStore(t.db, { tag: 'img-text' })
    const item = await createStoreItem(t.db, shop)
    await expect(setItemImage(t.deps, shop.license.id, item.id, Buffer.from('hello, I am text'))).rejects.toMatchObject({ statusCode: 400, data: { issues: [{ path: 'image' }] } })
    // PNG magic followed by garbage: sniffed as PNG, refused by the decoder.
    await expect(setItemImage(t.deps, shop.license.id, item.id, Buffer.concat([Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), Buffer.from('<?php system($_GET[0]); ?>')]))).rejects.toMatchObject({ statusCode: 400 })
    expect(await t.db.select().from(storeImages).where(eq(storeImages.itemId, item.id))).toHaveLength(0)
  })

  it('a PNG with a metadata chunk comes back without it, at every served width, never enlarged', async () => {
    const shop = await createOpenStore(t.db, { tag: 'img-meta' })
    const item = await createStoreItem(t.db, shop)
    const upload = await pngWithTextChunk('GPS', '52.5200 N, 13.4050 E')
    expect(pngChunkTypes(upload)).toContain('tEXt')
    const row = await setItemImage(t.deps, shop.license.id, item.id, upload)
    expect(row.imageUrl).toBe(`${t.deps.env.publicUrl}/api/images/${row.imageId}/1024`)
    expect(imageSrcset(row.imageUrl)).toContain(`/api/images/${row.imageId}/320 320w`)
    for (const width of ITEM_IMAGE_WIDTHS) {
      const image = await findImage(t.deps, row.imageId!, width)
      expect(image.contentType).toBe('image/png')
      expect(pngChunkTypes(image.data).filter(c => ['tEXt', 'zTXt', 'iTXt', 'eXIf', 'iCCP', 'tIME'].includes(c))).toEqual([])
      expect(image.data.includes(Buffer.from('52.5200'))).toBe(false)
      expect((await sharp(image.data).metadata()).width).toBe(64)
    }
  })

  it('JPEG EXIF is dropped too', async () => {
    const shop = await createOpenStore(t.db, { tag: 'img-exif' })
    const item = await createStoreItem(t.db, shop)
    const jpeg = await sharp(await solidImage('png', 800, 600)).withExif({ IFD0: { Copyright: 'Secret Place 52.52N' } }).jpeg().toBuffer()
    expect((await sharp(jpeg).metadata()).exif).toBeDefined()
    const row = await setItemImage(t.deps, shop.license.id, item.id, jpeg)
    const small = await findImage(t.deps, row.imageId!, 320)
    const meta = await sharp(small.data).metadata()
    expect([meta.format, meta.width, meta.exif]).toEqual(['jpeg', 320, undefined])
  })

  it('another store\'s item → 404; a new upload replaces the old rows; DELETE clears image_url', async () => {
    const mine = await createOpenStore(t.db, { tag: 'img-mine' })
    const theirs = await createOpenStore(t.db, { tag: 'img-theirs' })
    const item = await createStoreItem(t.db, theirs)
    await expect(setItemImage(t.deps, mine.license.id, item.id, await solidImage('png'))).rejects.toMatchObject({ statusCode: 404 })
    await expect(removeItemImage(t.deps, mine.license.id, item.id)).rejects.toMatchObject({ statusCode: 404 })
    const first = await setItemImage(t.deps, theirs.license.id, item.id, await solidImage('webp'))
    const second = await setItemImage(t.deps, theirs.license.id, item.id, await solidImage('gif'))
    await expect(findImage(t.deps, first.imageId!, 320)).rejects.toMatchObject({ statusCode: 404 })
    expect((await findImage(t.deps, second.imageId!, 320)).contentType).toBe('image/gif')
    const cleared = await removeItemImage(t.deps, theirs.license.id, item.id)
    expect([cleared.imageUrl, cleared.imageId]).toEqual([null, null])
    expect(await t.db.select().from(storeImages).where(eq(storeImages.itemId, item.id))).toHaveLength(0)
  })

  it('an item PUT keeps its uploaded image, and cannot point at another item\'s upload', async () => {
    const shop = await createOpenStore(t.db, { tag: 'img-put' })
    const a = await createStoreItem(t.db, shop)
    const b = await createStoreItem(t.db, shop)
    const withImage = await setItemImage(t.deps, shop.license.id, a.id, await solidImage('png'))
    const other = await setItemImage(t.deps, shop.license.id, b.id, await solidImage('png'))
    const base = { category_id: shop.categoryId, name: 'Renamed', price_cents: 100, commands: [{ command: 'say hi' }] }
    const kept = await updateItem(t.deps, shop.license.id, a.id, itemInputSchema.parse({ ...base, image_url: withImage.imageUrl }))
    expect([kept.imageUrl, kept.imageId]).toEqual([withImage.imageUrl, withImage.imageId])
    await expect(updateItem(t.deps, shop.license.id, a.id, itemInputSchema.parse({ ...base, image_url: other.imageUrl }))).rejects.toMatchObject({ statusCode: 400, data: { issues: [{ path: 'image_url' }] } })
    const external = await updateItem(t.deps, shop.license.id, a.id, itemInputSchema.parse({ ...base, image_url: 'https://cdn.example.net/a.png' }))
    expect(external.imageId).toBeNull()
    const [left] = await t.db.select({ n: storeItems.id }).from(storeImages).innerJoin(storeItems, eq(storeItems.id, storeImages.itemId)).where(eq(storeImages.itemId, a.id))
    expect(left).toBeUndefined()
  })
})
