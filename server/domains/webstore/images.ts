import sharp from 'sharp'
import { and, eq, isNull } from 'drizzle-orm'
import { storeImages, storeItems, type StoreItemRow } from '../../db/schema'
import { ITEM_IMAGE_WIDTHS } from '../../../shared/contracts/limits'
import { cairnImageUrl } from '../../../shared/rules/images'
import type { Deps } from '../../platform/deps'
import { InvalidInput, NotFound } from '../../platform/errors'

// Item images: the bytes decide the type (never the name or the declared type), and every image
// is decoded and encoded again by sharp (libvips) at each served width. Re-encoding drops
// metadata (EXIF GPS, text chunks) and anything smuggled after or inside the image data.

type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif'

const CONTENT_TYPES: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' }

/** The format the leading bytes announce, or null. */
export function sniffImage(bytes: Uint8Array): ImageFormat | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(1, 4) === 'PNG' && bytes[4] === 0x0D && bytes[5] === 0x0A && bytes[6] === 0x1A && bytes[7] === 0x0A) return 'png'
  if (bytes.length >= 3 && bytes[0] === 0xFF && bytes[1] === 0xD8 && bytes[2] === 0xFF) return 'jpeg'
  if (bytes.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'gif'
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp'
  return null
}

const notAnImage = () => new InvalidInput([{ path: 'image', message: 'must be a PNG, JPEG, WebP or GIF image' }])

interface Variant { width: number, height: number, data: Buffer }

async function encodeVariants(bytes: Buffer, format: ImageFormat): Promise<Variant[]> {
  const animated = format === 'gif' || format === 'webp'
  try {
    return await Promise.all(ITEM_IMAGE_WIDTHS.map(async (width) => {
      // limitInputPixels guards against decompression bombs; rotate() applies EXIF orientation before it is dropped.
      let pipeline = sharp(bytes, { animated, limitInputPixels: 40_000_000 }).rotate().resize({ width, withoutEnlargement: true })
      pipeline = format === 'png' ? pipeline.png() : format === 'jpeg' ? pipeline.jpeg({ quality: 85, mozjpeg: true }) : format === 'webp' ? pipeline.webp({ quality: 85 }) : pipeline.gif()
      const { data, info } = await pipeline.toBuffer({ resolveWithObject: true })
      return { width, height: info.height, data }
    }))
  }
  catch {
    throw notAnImage()
  }
}

/** Replaces the item's image with this upload; the old one's rows go in the same transaction. */
export async function setItemImage(deps: Deps, licenseId: string, itemId: string, bytes: Buffer): Promise<StoreItemRow> {
  const format = sniffImage(bytes)
  if (!format) throw notAnImage()
  const [own] = await deps.db.select({ id: storeItems.id }).from(storeItems)
    .where(and(eq(storeItems.id, itemId), eq(storeItems.licenseId, licenseId), isNull(storeItems.deletedAt)))
  if (!own) throw new NotFound('Item')
  const variants = await encodeVariants(bytes, format)
  const imageId = globalThis.crypto.randomUUID()
  return deps.db.transaction(async (t) => {
    const [row] = await t.update(storeItems).set({ imageId, imageUrl: cairnImageUrl(deps.env.publicUrl, imageId), updatedAt: deps.clock.now() })
      .where(and(eq(storeItems.id, itemId), eq(storeItems.licenseId, licenseId), isNull(storeItems.deletedAt))).returning()
    if (!row) throw new NotFound('Item')
    await t.delete(storeImages).where(and(eq(storeImages.itemId, itemId), eq(storeImages.licenseId, licenseId)))
    await t.insert(storeImages).values(variants.map(v => ({ imageId, width: v.width, height: v.height, licenseId, itemId, contentType: CONTENT_TYPES[format], data: v.data })))
    return row
  })
}

export async function removeItemImage(deps: Deps, licenseId: string, itemId: string): Promise<StoreItemRow> {
  return deps.db.transaction(async (t) => {
    const [row] = await t.update(storeItems).set({ imageId: null, imageUrl: null, updatedAt: deps.clock.now() })
      .where(and(eq(storeItems.id, itemId), eq(storeItems.licenseId, licenseId), isNull(storeItems.deletedAt))).returning()
    if (!row) throw new NotFound('Item')
    await t.delete(storeImages).where(and(eq(storeImages.itemId, itemId), eq(storeImages.licenseId, licenseId)))
    return row
  })
}

/** One served size of an uploaded image (public: the storefront shows it to anyone). */
export async function findImage(deps: Deps, imageId: string, width: number): Promise<{ contentType: string, data: Buffer }> {
  const [row] = await deps.db.select({ contentType: storeImages.contentType, data: storeImages.data }).from(storeImages)
    .where(and(eq(storeImages.imageId, imageId), eq(storeImages.width, width)))
  if (!row) throw new NotFound('Image')
  return row
}
