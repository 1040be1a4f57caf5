import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { createNotifyBus, notify, type RawListen } from '../../server/platform/notify'
import { quietLog } from '../support/deps'
import { pollFor } from '../support/poll'
import { PG_ADMIN_URL } from '../support/postgres'
import { useTestDatabase } from '../support/test-database'

// The bus keeps listening through outages: when its own watch marker stops coming back, every
// channel LISTENs again, its gap handlers run, and a registration that comes back to life later
// never delivers twice.

const t = useTestDatabase('cairn_bus')

/** An in-memory database LISTEN whose deliveries can be cut, and whose old registrations never die. */
function fakeListen() {
  const registrations: Array<{ channel: string, onPayload: (payload: string) => void }> = []
  const link = { up: true }
  const rawListen: RawListen = async (channel, onPayload, onListen) => {
    const registration = { channel, onPayload }
    registrations.push(registration)
    onListen?.()
    return async () => {}
  }
  const deliver = async (channel: string, payload: string) => {
    if (!link.up) return
    for (const r of registrations.filter(r => r.channel === channel)) r.onPayload(payload)
  }
  return { rawListen, deliver, link, registrations }
}

describe('notify bus', () => {
  it('listens again when its own marker stops coming back, runs the gap handlers, and delivers once afterwards', async () => {
    const fake = fakeListen()
    const bus = createNotifyBus(fake.rawListen, quietLog, { send: fake.deliver, watchMs: 20 })
    try {
      const got: string[] = []
      let gaps = 0
      await bus.subscribe('shop_changed', payload => got.push(payload))
      bus.onGap('shop_changed', () => gaps++)
      await fake.deliver('shop_changed', 'a')
      expect(got).toEqual(['a'])

      fake.link.up = false
      await pollFor(() => (gaps > 0 ? true : undefined), { timeoutMs: 5000, everyMs: 10, failure: () => 'the lost LISTEN was never noticed' })
      expect(fake.registrations.filter(r => r.channel === 'shop_changed').length).toBeGreaterThan(1)
      fake.link.up = true
      await fake.deliver('shop_changed', 'b')
      // The first registration is still there (as postgres.js may keep it): b arrives once all the same.
      expect(got).toEqual(['a', 'b'])
    }
    finally {
      await bus.close()
    }
  })

  it('on PostgreSQL: the LISTEN connection killed while the database refuses connections: once it accepts them, the gap is reported and signals arrive again (postgres.js or the watch, whichever comes first; the in-memory test proves the watch)', async (context) => {
    if (t.handle.kind !== 'postgres' || !t.url) return context.skip()
    const database = new URL(t.url).pathname.slice(1)
    const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} })
    const bus = createNotifyBus(t.handle.listen, quietLog, { send: (channel, payload) => notify(t.deps, channel, payload), watchMs: 200 })
    try {
      const got: string[] = []
      let gaps = 0
      await bus.subscribe('shop_changed', payload => got.push(payload))
      bus.onGap('shop_changed', () => gaps++)
      // The database turns new connections away; the LISTEN connection dies; postgres.js's one retry fails.
      await admin.unsafe(`alter database "${database}" allow_connections false`)
      await t.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen %'`)
      await new Promise(resolve => setTimeout(resolve, 500))
      await admin.unsafe(`alter database "${database}" allow_connections true`)
      await pollFor(() => (gaps > 0 ? true : undefined), { timeoutMs: 10_000, everyMs: 20, failure: () => 'the lost LISTEN never came back' })
      await pollFor(async () => {
        await notify(t.deps, 'shop_changed', 'after')
        await new Promise(resolve => setTimeout(resolve, 50))
        return got.includes('after') ? true : undefined
      }, { timeoutMs: 10_000, everyMs: 100, failure: () => 'signals never arrived again' })
    }
    finally {
      await admin.unsafe(`alter database "${database}" allow_connections true`).catch(() => {})
      await admin.end()
      await bus.close()
    }
  })
})
