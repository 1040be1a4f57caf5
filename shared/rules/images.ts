import { ITEM_IMAGE_WIDTHS } from '../contracts/limits'

// Uploaded item images live at `<PUBLIC_URL>/api/images/<image id>/<width>`, one URL per served
// width; `image_url` names the largest. Both sides build the other sizes from it.

const CAIRN_IMAGE_RE = /^(.*\/api\/images\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(\d+)$/

export const LARGEST_IMAGE_WIDTH = ITEM_IMAGE_WIDTHS[ITEM_IMAGE_WIDTHS.length - 1]!

export function cairnImageUrl(publicUrl: string, imageId: string, width: number = LARGEST_IMAGE_WIDTH): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/images/${imageId}/${width}`
}

/** Whether the URL is one of Cairn's uploaded-image URLs (any origin). */
export function isCairnImageUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.search === '' && parsed.hash === '' && CAIRN_IMAGE_RE.test(parsed.href)
  }
  catch {
    return false
  }
}

/** `srcset` for an uploaded image (`<url> 320w, ...`); null for any other URL. */
export function imageSrcset(url: string | null): string | null {
  const match = url ? CAIRN_IMAGE_RE.exec(url) : null
  if (!match) return null
  return ITEM_IMAGE_WIDTHS.map(w => `${match[1]}/${w} ${w}w`).join(', ')
}
