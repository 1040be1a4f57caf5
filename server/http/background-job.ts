import type { NitroApp } from 'nitropack'
import type { Deps } from '../platform/deps'
import { errorFields } from '../platform/logger'
import { useDeps } from './deps'

/**
 * Runs `job` every `everyMs` on this replica (never two runs at once here; the jobs themselves are
 * safe across replicas), logging what it did when it did something, and stops with the server.
 */
export function runEvery(nitroApp: NitroApp, everyMs: number, name: string, job: (deps: Deps) => Promise<number>): void {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    void useDeps()
      .then(async (deps) => {
        const n = await job(deps)
        if (n > 0) deps.log.info(`${name} done`, { count: n })
      })
      .catch(async (error: unknown) => {
        const deps = await useDeps().catch(() => undefined)
        deps?.log.warn(`${name} failed`, errorFields(error))
      })
      .finally(() => {
        running = false
      })
  }, everyMs)
  timer.unref()
  nitroApp.hooks.hook('close', () => clearInterval(timer))
}
