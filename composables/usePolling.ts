export interface PollingOptions {
  /** Time between the end of one tick and the start of the next. */
  intervalMs: number
  /** Stops polling as soon as this is true (checked before every tick). */
  done?: () => boolean
  /** Gives up after this many ticks (counted from the last `start()`). */
  maxTicks?: number
  /** Starts when the component mounts (default); `false` waits for `start()`. */
  immediate?: boolean
}

/**
 * Calls `tick` every `intervalMs` in the browser until `done()` or `maxTicks`, one tick at a time.
 * It pauses while the tab is hidden (and ticks once when it comes back) and stops on unmount.
 */
export function usePolling(tick: () => unknown, options: PollingOptions) {
  const active = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  let ticks = 0
  let ticking = false

  const finished = () => (options.done?.() ?? false) || (options.maxTicks !== undefined && ticks >= options.maxTicks)

  function schedule(delay: number) {
    clearTimeout(timer)
    timer = undefined
    if (!active.value || ticking) return
    if (finished()) {
      active.value = false
      return
    }
    if (document.visibilityState === 'hidden') return
    timer = setTimeout(run, delay)
  }

  async function run() {
    timer = undefined
    ticking = true
    ticks++
    try {
      await tick()
    }
    catch {
      // A failed tick is retried at the next one; the caller shows its own error state.
    }
    finally {
      ticking = false
    }
    schedule(options.intervalMs)
  }

  function onVisibility() {
    if (document.visibilityState === 'visible') schedule(0)
    else clearTimeout(timer)
  }

  /** (Re)starts polling: the first tick comes after one interval. */
  function start() {
    if (import.meta.server) return
    ticks = 0
    active.value = true
    schedule(options.intervalMs)
  }

  function stop() {
    active.value = false
    clearTimeout(timer)
    timer = undefined
  }

  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility)
    if (options.immediate !== false) start()
  })
  onBeforeUnmount(() => {
    stop()
    document.removeEventListener('visibilitychange', onVisibility)
  })

  return { start, stop, active: readonly(active) }
}
