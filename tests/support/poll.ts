/**
 * Checks `find` every `everyMs` until it returns something; fails with `failure()` once
 * `timeoutMs` has passed or `stop()` says nothing more can come.
 */
export async function pollFor<T>(find: () => T | undefined | Promise<T | undefined>, options: { timeoutMs: number, everyMs?: number, stop?: () => boolean, failure: () => string }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    const hit = await find()
    if (hit !== undefined) return hit
    if (options.stop?.() || Date.now() > deadline) throw new Error(options.failure())
    await new Promise(resolve => setTimeout(resolve, options.everyMs ?? 50))
  }
}
