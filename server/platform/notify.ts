import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import type { Logger } from './logger'

// A small cross-replica signal bus on PostgreSQL LISTEN/NOTIFY (postgres.js and PGlite alike).
//
//   notify(deps, channel, payload)      send; inside a transaction it is delivered at COMMIT (and
//                                        never when it rolls back), to every replica
//   deps.bus.listen(channel, handler)   receive; returns `unlisten`. One LISTEN per channel per
//                                        process, however many handlers. `subscribe` = the same,
//                                        resolved once the LISTEN is active.
//
// Signals only: a lost one (a reconnect, a replica starting) must cost latency, never data, so
// keep polling the database as the safety net. Channel names: lower-case [a-z0-9_]; payloads
// under 8000 bytes (PostgreSQL's limit).

export type NotifyHandler = (payload: string) => void

export interface NotifyBus {
  listen(channel: string, handler: NotifyHandler): () => void
  /**
   * `listen`, resolved once the LISTEN is in place (or has failed: then polling is all there is).
   * Subscribe this way BEFORE reading what the signal is about, so a commit between the read and
   * the LISTEN cannot slip by.
   */
  subscribe(channel: string, handler: NotifyHandler): Promise<() => void>
  /**
   * Called each time the LISTEN on `channel` is re-established after its connection dropped: signals
   * sent meanwhile are gone, so whoever keeps state derived from them must drop it. Returns `off`.
   */
  onGap(channel: string, handler: () => void): () => void
  close(): Promise<void>
}

/**
 * What a database handle offers the bus: one LISTEN, returning its own unlisten. `onListen` runs
 * each time the LISTEN is (re-)established, the first time included.
 */
export type RawListen = (channel: string, onPayload: (payload: string) => void, onListen?: () => void) => Promise<() => Promise<void>>

const CHANNEL_RE = /^[a-z][a-z0-9_]{0,62}$/

function checkChannel(channel: string): void {
  if (!CHANNEL_RE.test(channel)) throw new Error(`notify channel ${JSON.stringify(channel)} must match ${CHANNEL_RE}`)
}

/** Sends `payload` on `channel`; with `deps.db` a transaction, at its commit. */
export async function notify(deps: { db: Db }, channel: string, payload = ''): Promise<void> {
  checkChannel(channel)
  await deps.db.execute(sql`select pg_notify(${channel}, ${payload})`)
}

/** The bus's own channel: a marker it sends itself, which must come back while the LISTEN lives. */
const WATCH_CHANNEL = 'cairn_bus_watch'
const WATCH_MS = 10_000

export interface NotifyBusOptions {
  /**
   * How the bus sends its watch marker (`notify` on the database). With it, a LISTEN that is gone
   * for good is noticed and made again (postgres.js tries once when its connection drops; if the
   * database is still down then, the channel is lost until something listens anew).
   */
  send?: (channel: string, payload: string) => Promise<void>
  watchMs?: number
}

interface ChannelEntry {
  handlers: Set<NotifyHandler>
  /** Bumped on every (re-)LISTEN: a callback of an older registration is ignored (no double dispatch). */
  generation: number
  stop: Promise<(() => Promise<void>) | undefined>
}

export function createNotifyBus(rawListen: RawListen, log: Logger, options: NotifyBusOptions = {}): NotifyBus {
  const channels = new Map<string, ChannelEntry>()
  const gapHandlers = new Map<string, Set<() => void>>()
  const gap = (channel: string) => {
    for (const handler of gapHandlers.get(channel) ?? []) {
      try {
        handler()
      }
      catch (error) {
        log.warn('notify gap handler failed', { channel, error: (error as Error).message })
      }
    }
  }
  const dispatch = (channel: string, payload: string) => {
    for (const handler of channels.get(channel)?.handlers ?? []) {
      try {
        handler(payload)
      }
      catch (error) {
        log.warn('notify handler failed', { channel, error: (error as Error).message })
      }
    }
  }
  const register = (channel: string, entry: ChannelEntry) => {
    const generation = ++entry.generation
    let listened = false
    const onListen = () => {
      if (entry.generation !== generation) return
      if (listened) {
        log.warn('LISTEN re-established; signals sent meanwhile are lost', { channel })
        gap(channel)
      }
      listened = true
    }
    entry.stop = rawListen(channel, (payload) => {
      if (entry.generation === generation) dispatch(channel, payload)
    }, onListen).catch((error: unknown) => {
      log.warn('LISTEN failed; falling back to polling', { channel, error: (error as Error).message })
      return undefined
    })
  }
  const listen = (channel: string, handler: NotifyHandler) => {
    checkChannel(channel)
    let entry = channels.get(channel)
    if (!entry) {
      entry = { handlers: new Set(), generation: 0, stop: Promise.resolve(undefined) }
      channels.set(channel, entry)
      register(channel, entry)
      startWatch()
    }
    entry.handlers.add(handler)
    const held = entry
    return () => {
      held.handlers.delete(handler)
    }
  }

  // The watch: our marker on WATCH_CHANNEL must be back before the next one leaves; if not, every
  // channel LISTENs again (older registrations are ignored) and its gap handlers run.
  const instance = globalThis.crypto.randomUUID()
  let sent = 0
  let seen = 0
  let watch: ReturnType<typeof setInterval> | undefined
  function startWatch() {
    if (watch || !options.send || channels.has(WATCH_CHANNEL)) return
    const send = options.send
    listen(WATCH_CHANNEL, (payload) => {
      const [from, n] = payload.split(':')
      if (from === instance) seen = Math.max(seen, Number(n))
    })
    watch = setInterval(() => {
      if (sent > seen) {
        log.warn('LISTEN lost (our own signal did not come back); listening again', { channels: channels.size })
        for (const [channel, entry] of channels) {
          const previous = entry.stop
          register(channel, entry)
          void previous.then(stop => stop?.()).catch(() => {})
          gap(channel)
        }
        seen = sent
      }
      const n = ++sent
      send(WATCH_CHANNEL, `${instance}:${n}`).catch(() => {})
    }, options.watchMs ?? WATCH_MS)
    watch.unref?.()
  }

  return {
    listen,
    async subscribe(channel, handler) {
      const unlisten = listen(channel, handler)
      await channels.get(channel)?.stop
      return unlisten
    },
    onGap(channel, handler) {
      checkChannel(channel)
      let set = gapHandlers.get(channel)
      if (!set) gapHandlers.set(channel, set = new Set())
      set.add(handler)
      return () => {
        set.delete(handler)
      }
    },
    async close() {
      if (watch) clearInterval(watch)
      gapHandlers.clear()
      const stops = [...channels.values()].map(e => e.stop)
      channels.clear()
      for (const stop of stops) await (await stop)?.().catch(() => {})
    },
  }
}
