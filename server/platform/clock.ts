/** Time source; services take one so tests can pin "now" (month boundaries, expiry). */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void } {
  let current = new Date(at)
  return {
    now: () => new Date(current),
    set(next) {
      current = new Date(next)
    },
  }
}
