import type { H3Event } from 'h3'
import { getRequestHeader, readMultipartFormData } from 'h3'
import { InvalidInput, PayloadTooLarge } from '../platform/errors'
import { RAW_BODY, streamBodyWithLimit } from './body-limit'

// multipart/form-data uploads with a byte limit enforced while the body streams in, so an
// oversized upload is refused without being buffered whole.

/** Room for the multipart boundaries and part headers around the file itself. */
const ENVELOPE_BYTES = 16 * 1024

/** The bytes of the file in `field`; 413 when the file is over `maxBytes`, 400 when absent. */
export async function readUploadedFile(event: H3Event, field: string, maxBytes: number): Promise<Buffer> {
  if (!/^multipart\/form-data\b/i.test(getRequestHeader(event, 'content-type') ?? '')) {
    throw new InvalidInput([{ path: field, message: 'must be sent as multipart/form-data' }])
  }
  const limit = maxBytes + ENVELOPE_BYTES
  const declared = Number(getRequestHeader(event, 'content-length'))
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLarge(maxBytes)
  const req = event.node.req as typeof event.node.req & { [RAW_BODY]?: Promise<Buffer> }
  if (!(RAW_BODY in req) && req.readable) void streamBodyWithLimit(req, limit, maxBytes).catch(() => {})
  const parts = await readMultipartFormData(event)
  const file = parts?.find(p => p.name === field)
  if (!file || file.data.length === 0) throw new InvalidInput([{ path: field, message: 'is required (a file)' }])
  if (file.data.length > maxBytes) throw new PayloadTooLarge(maxBytes)
  return file.data
}
