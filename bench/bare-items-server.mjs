// The baseline for bench/items-throughput.ts: a bare node:http + postgres.js server answering
// GET /api/public-store/<subdomain>/items with the same two queries Cairn runs (open-store
// check, then the enabled items) and the same JSON shape. No framework, no validation layer.
import { createServer } from 'node:http'
import postgres from 'postgres'

const sql = postgres(process.env.DATABASE_URL, { max: 10, onnotice: () => {} })
const port = Number(process.env.PORT ?? 0)
const ROUTE = /^\/api\/public-store\/([a-z0-9-]{1,63})\/items$/

const server = createServer(async (req, res) => {
  const match = ROUTE.exec((req.url ?? '').split('?')[0])
  if (!match) {
    res.writeHead(404).end()
    return
  }
  try {
    const [store] = await sql`
      select l.id, c.currency from licenses l join store_config c on c.license_id = l.id
       where l.subdomain = ${match[1]} and l.status = 'active' and c.enabled
         and exists (select 1 from webstore_subscriptions s where s.license_id = l.id and s.status = 'ACTIVE')
       limit 1`
    if (!store) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"statusCode":404}')
      return
    }
    const rows = await sql`
      select id, category_id, name, description, price_cents, image_url, purchase_limit, stock from store_items
       where license_id = ${store.id} and enabled and deleted_at is null
       order by sort_order, name, id`
    const items = rows.map(r => ({ ...r, currency: store.currency, in_stock: r.stock === null || r.stock > 0 }))
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items }))
  }
  catch {
    res.writeHead(500).end()
  }
})
server.listen(port, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`))
process.on('SIGTERM', () => server.close(() => sql.end().then(() => process.exit(0))))
