import type { IncomingMessage } from 'node:http'
import { PayloadTooLarge } from '../platform/errors'

// Reading a request body with a byte limit enforced while it streams in: a body over the limit is
// refused as soon as it crosses it, never buffered whole.

/** Where h3 caches the raw body; storing ours there lets h3's readers (JSON, multipart) reuse it. */
export const RAW_BODY = Symbol.for('h3RawBody')

/** The body's bytes; rejects with a 413 naming `reportedMax` once more than `limit` bytes arrived. */
export function streamBodyWithLimit(req: IncomingMessage & { [RAW_BODY]?: Promise<Buffer> }, limit: number, reportedMax = limit): Promise<Buffer> {
  const body = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.off('data', onData)
        // Keep draining (and dropping) the rest so the 413 can still be delivered.
        req.resume()
        reject(new PayloadTooLarge(reportedMax))
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.once('end', () => resolve(Buffer.concat(chunks)))
    req.once('error', reject)
  })
  req[RAW_BODY] = body
  return body
}
