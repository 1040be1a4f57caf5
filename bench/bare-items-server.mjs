// The baseline of bench/storefront.ts: a bare node:http server in its own process (like Cairn's)
// answering every request with the exact bytes of Cairn's items API answer, from memory.
// BARE_BODY (base64) and BARE_CONTENT_TYPE give the answer; prints {"port"} once listening.
import { createServer } from 'node:http'

const body = Buffer.from(process.env.BARE_BODY ?? '', 'base64')
const contentType = process.env.BARE_CONTENT_TYPE ?? 'application/json'
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': contentType, 'content-length': body.length }).end(body)
})
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
