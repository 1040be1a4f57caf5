import { sendStream, type H3Event } from 'h3'

/** Sends text chunks as they are produced, pulling the next only when the client takes this one. */
export function streamText(event: H3Event, chunks: AsyncGenerator<string>) {
  const encoder = new TextEncoder()
  return sendStream(event, new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next()
      if (next.done) controller.close()
      else controller.enqueue(encoder.encode(next.value))
    },
    async cancel() {
      await chunks.return(undefined)
    },
  }))
}
