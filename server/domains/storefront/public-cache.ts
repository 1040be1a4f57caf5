import type { Deps } from '../../platform/deps'
import { notify, type NotifyBus } from '../../platform/notify'
import { loadSnapshot, type CachedPage, type StoreSnapshot } from './public-snapshot'

// What players read, kept in this replica's memory per open store: the store view, the items
// with this instant's prices, and the rendered storefront pages. Migration 0012's triggers signal
// every write that changes any of it (`cairn_store_changed`, the license id, at COMMIT), so every
// replica drops the store within one round trip of the commit. A snapshot also expires on its own
// at the next sale start or end and the next month (the goal widget), and after 30 s as a
// safety net. When signals cannot be trusted (no bus, LISTEN re-established, heartbeat lost) the
// cache steps aside and every read goes to the database. Checkout never reads from here.

export const STORE_CHANGED_CHANNEL = 'cairn_store_changed'
/** Memory kept at most (JSON and HTML, in UTF-16 code units ≈ bytes); the least recently loaded store goes first. */
const MAX_CACHED_CHARS = 64 * 1024 * 1024
const MAX_CHANGE_LOG = 10_000
const HEARTBEAT_MS = 5_000
const FIRST_PING_WAIT_MS = 2_000

export type { CachedPage, StoreSnapshot }

export class StorefrontCache {
  private readonly snapshots = new Map<string, StoreSnapshot>()
  /** Loads under way, with the epoch they started at: one begun before a signal is not joined. */
  private readonly loading = new Map<string, { startedAt: number, promise: Promise<StoreSnapshot> }>()
  /** Bumped on every signal; a load keeps its result only if nothing about its store changed meanwhile. */
  private epoch = 0
  private flushedAt = 0
  private readonly changedAt = new Map<string, number>()
  private chars = 0
  private ready = false
  private trusted = false
  private pingSent = 0
  private pingSeen = 0
  private barriers = 0
  private readonly waiting = new Map<string, () => void>()
  private readonly instance = globalThis.crypto.randomUUID()
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly offs: Array<() => void> = []
  private onTrusted: (() => void) | undefined

  constructor(private readonly deps: Deps & { bus: NotifyBus }, private readonly maxChars = MAX_CACHED_CHARS) {}

  async start(): Promise<void> {
    const { bus } = this.deps
    this.offs.push(await bus.subscribe(STORE_CHANGED_CHANNEL, payload => this.signal(payload)))
    this.offs.push(bus.onGap(STORE_CHANGED_CHANNEL, () => this.flush('listen re-established')))
    this.ready = true
    this.timer = setInterval(() => void this.heartbeat(), HEARTBEAT_MS)
    this.timer.unref?.()
    // Trusted only once our own first marker has come back (a LISTEN that failed stays untrusted).
    const trusted = new Promise<void>(resolve => (this.onTrusted = resolve))
    await this.heartbeat()
    await Promise.race([trusted, new Promise(resolve => setTimeout(resolve, FIRST_PING_WAIT_MS).unref?.())])
    this.onTrusted = undefined
  }

  close(): void {
    if (this.timer) clearInterval(this.timer)
    for (const off of this.offs.splice(0)) off()
    this.flush('closed')
    this.ready = false
  }

  /** Whether reads are served from memory right now. */
  get active(): boolean {
    return this.ready && this.trusted
  }

  /** The open store at `subdomain` (NotFound when it is not open), from memory when it can be. */
  async snapshot(deps: Deps, subdomain: string): Promise<StoreSnapshot> {
    const now = deps.clock.now().getTime()
    const cached = this.snapshots.get(subdomain)
    if (cached && this.active) {
      if (cached.live && now < cached.validUntil) return cached
      this.retire(cached)
    }
    if (!this.active) return loadSnapshot(deps, subdomain)
    const running = this.loading.get(subdomain)
    if (running && running.startedAt === this.epoch) return running.promise
    const pending = { startedAt: this.epoch, promise: this.load(deps, subdomain) }
    this.loading.set(subdomain, pending)
    void pending.promise.catch(() => {}).finally(() => {
      if (this.loading.get(subdomain) === pending) this.loading.delete(subdomain)
      // The change log serves loads under way only.
      if (this.loading.size === 0) this.changedAt.clear()
    })
    return pending.promise
  }

  /** A rendered page of `snapshot`, unless the snapshot was retired meanwhile. */
  keepPage(snapshot: StoreSnapshot, variant: string, page: CachedPage): void {
    if (!snapshot.live || !this.active || this.snapshots.get(snapshot.subdomain) !== snapshot || snapshot.pages.has(variant)) return
    snapshot.pages.set(variant, page)
    this.chars += page.html.length
    this.evict()
  }

  /** Characters held now (the memory bound's measure). */
  get size(): { stores: number, chars: number } {
    return { stores: this.snapshots.size, chars: this.chars }
  }

  private evict(): void {
    for (const oldest of this.snapshots.values()) {
      if (this.chars <= this.maxChars) return
      this.retire(oldest)
    }
  }

  private static charsOf(snapshot: StoreSnapshot): number {
    let chars = snapshot.storeJson.length + snapshot.itemsJson.length
    for (const page of snapshot.pages.values()) chars += page.html.length
    return chars
  }

  private async load(deps: Deps, subdomain: string): Promise<StoreSnapshot> {
    const startedAt = this.epoch
    const snapshot = await loadSnapshot(deps, subdomain)
    const changed = (this.changedAt.get(snapshot.licenseId) ?? 0) > startedAt || this.flushedAt > startedAt
    if (changed || !this.active) {
      snapshot.live = false
      return snapshot
    }
    const previous = this.snapshots.get(subdomain)
    if (previous) this.retire(previous)
    this.snapshots.set(subdomain, snapshot)
    this.chars += StorefrontCache.charsOf(snapshot)
    this.evict()
    return snapshot
  }

  private retire(snapshot: StoreSnapshot): void {
    snapshot.live = false
    if (this.snapshots.get(snapshot.subdomain) !== snapshot) return
    this.snapshots.delete(snapshot.subdomain)
    this.chars -= StorefrontCache.charsOf(snapshot)
  }

  private signal(payload: string): void {
    if (payload.startsWith('ping:')) {
      const [, instance, n = ''] = payload.split(':')
      if (instance !== this.instance) return
      if (n.startsWith('b')) this.waiting.get(payload)?.()
      else this.pong(Number(n))
      return
    }
    this.epoch++
    if (this.loading.size > 0) this.changedAt.set(payload, this.epoch)
    if (this.changedAt.size > MAX_CHANGE_LOG) this.flush('change log full')
    for (const snapshot of this.snapshots.values()) {
      if (snapshot.licenseId === payload) this.retire(snapshot)
    }
  }

  /**
   * Resolves once every signal committed before the call has been handled here (NOTIFY arrives in
   * commit order, so our own marker coming back proves it). A change answered by this replica
   * waits for it, so whoever made the change and looks at the storefront next never sees it
   * stale. Gives up after `timeoutMs`, forgetting everything instead.
   */
  async barrier(timeoutMs = 1000): Promise<void> {
    if (!this.active || (this.snapshots.size === 0 && this.loading.size === 0)) return
    const marker = `ping:${this.instance}:b${++this.barriers}`
    let timer: ReturnType<typeof setTimeout> | undefined
    const arrived = new Promise<boolean>((resolve) => {
      this.waiting.set(marker, () => resolve(true))
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    try {
      await notify(this.deps, STORE_CHANGED_CHANNEL, marker)
      if (!(await arrived)) this.flush('barrier timed out')
    }
    catch {
      this.flush('barrier failed')
    }
    finally {
      clearTimeout(timer)
      this.waiting.delete(marker)
    }
  }

  private flush(reason: string): void {
    this.epoch++
    this.flushedAt = this.epoch
    this.changedAt.clear()
    for (const snapshot of this.snapshots.values()) snapshot.live = false
    const dropped = this.snapshots.size
    this.snapshots.clear()
    this.chars = 0
    if (reason !== 'closed' && dropped > 0) this.deps.log.info('storefront cache flushed', { reason, stores: dropped })
  }

  /** Our own ping must come back before the next one leaves; otherwise signals may be lost. */
  private async heartbeat(): Promise<void> {
    if (this.pingSent > this.pingSeen && this.trusted) {
      this.trusted = false
      this.flush('heartbeat lost')
    }
    const n = ++this.pingSent
    try {
      await notify(this.deps, STORE_CHANGED_CHANNEL, `ping:${this.instance}:${n}`)
    }
    catch {
      // The database is unreachable: the missing pong turns the cache off at the next beat.
    }
  }

  private pong(n: number): void {
    this.pingSeen = Math.max(this.pingSeen, n)
    if (!this.trusted && this.pingSeen === this.pingSent) {
      this.flush('heartbeat back')
      this.trusted = true
      this.onTrusted?.()
    }
  }
}

const caches = new WeakMap<Deps, Promise<StorefrontCache | undefined>>()

/** The replica's cache for these deps (the server's); undefined without a notify bus. */
export function storefrontCache(deps: Deps): Promise<StorefrontCache | undefined> {
  let cache = caches.get(deps)
  if (!cache) {
    const bus = deps.bus
    cache = bus
      ? (async () => {
          const created = new StorefrontCache({ ...deps, bus })
          try {
            await created.start()
            return created
          }
          catch (error) {
            deps.log.warn('storefront cache off: LISTEN failed', { error: (error as Error).message })
            return undefined
          }
        })()
      : Promise.resolve(undefined)
    caches.set(deps, cache)
  }
  return cache
}

