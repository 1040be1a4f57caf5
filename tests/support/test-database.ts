import { afterAll, beforeAll, beforeEach } from 'vitest'
import type { Db, DbHandle } from '../../server/db'
import { fixedClock, systemClock, type Clock } from '../../server/platform/clock'
import type { Deps } from '../../server/platform/deps'
import { createTestDatabase, type TestDatabase } from './db'
import { testDeps } from './deps'

/** The real time until a test pins it; every test starts unpinned again. */
export interface TestClock extends Clock {
  set(at: Date | string): void
  advance(ms: number): void
  release(): void
}

export function testClock(): TestClock {
  let pinned: Date | undefined
  return {
    now: () => new Date(pinned ?? systemClock.now()),
    set(at) {
      pinned = new Date(at)
    },
    advance(ms) {
      pinned = new Date((pinned ?? systemClock.now()).getTime() + ms)
    },
    release() {
      pinned = undefined
    },
  }
}

export type FixedClock = ReturnType<typeof fixedClock>

export interface UsedTestDatabase {
  /** Deps on the test database: test keys, test env, quiet log and `clock`. */
  readonly deps: Deps
  readonly db: Db
  readonly handle: DbHandle
  /** The database URL on PostgreSQL (null on PGlite), for spawned processes. */
  readonly url: string | null
  readonly clock: TestClock
  /** The same deps with a clock of their own, fixed at `time` (move it with `.clock.set`). */
  at(time: Date | string): Deps & { clock: FixedClock }
}

/**
 * One migrated database for the calling test file: created before its tests, dropped after them
 * (hooks registered here, so they run around the file's own hooks).
 */
export function useTestDatabase(prefix = 'cairn_svc'): UsedTestDatabase {
  let opened: TestDatabase | undefined
  let deps: Deps | undefined
  const clock = testClock()
  beforeAll(async () => {
    opened = await createTestDatabase(prefix)
    deps = testDeps(opened.handle.db, clock)
  })
  afterAll(() => opened?.close())
  beforeEach(() => clock.release())
  const ready = () => {
    if (!opened || !deps) throw new Error('useTestDatabase: the database is ready from beforeAll on')
    return { opened, deps }
  }
  return {
    get deps() {
      return ready().deps
    },
    get db() {
      return ready().opened.handle.db
    },
    get handle() {
      return ready().opened.handle
    },
    get url() {
      return ready().opened.url
    },
    clock,
    at(time) {
      return { ...ready().deps, clock: fixedClock(time) }
    },
  }
}
