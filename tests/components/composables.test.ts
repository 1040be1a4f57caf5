import { mountSuspended } from '@nuxt/test-utils/runtime'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { useApiAction } from '~/composables/useApiAction'
import { usePolling } from '~/composables/usePolling'

// The two composables every page leans on: the state around one API call, and polling that
// stops when done or unmounted and rests while the tab is hidden.

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
  document.dispatchEvent(new Event('visibilitychange'))
}

afterEach(() => {
  vi.useRealTimers()
  setVisibility('visible')
})

describe('usePolling', () => {
  async function mountPoller(options: { doneAfter?: number, maxTicks?: number } = {}) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true })
    const ticks = ref(0)
    const view = await mountSuspended(defineComponent({
      setup() {
        usePolling(() => ticks.value++, { intervalMs: 1000, maxTicks: options.maxTicks, done: () => ticks.value >= (options.doneAfter ?? Infinity) })
        return () => h('p', ticks.value)
      },
    }))
    return { view, ticks }
  }

  it('ticks once per interval until done() says stop', async () => {
    const { ticks } = await mountPoller({ doneAfter: 3 })
    await vi.advanceTimersByTimeAsync(1000)
    expect(ticks.value).toBe(1)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(ticks.value).toBe(3)
  })

  it('gives up after maxTicks and stops when the component unmounts', async () => {
    const capped = await mountPoller({ maxTicks: 2 })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(capped.ticks.value).toBe(2)

    const unmounted = await mountPoller()
    await vi.advanceTimersByTimeAsync(1000)
    unmounted.view.unmount()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(unmounted.ticks.value).toBe(1)
  })

  it('rests while the tab is hidden and ticks as soon as it is visible again', async () => {
    const { ticks } = await mountPoller()
    await vi.advanceTimersByTimeAsync(1000)
    expect(ticks.value).toBe(1)
    setVisibility('hidden')
    await vi.advanceTimersByTimeAsync(10_000)
    expect(ticks.value).toBe(1)
    setVisibility('visible')
    await vi.advanceTimersByTimeAsync(0)
    expect(ticks.value).toBe(2)
  })
})

describe('useApiAction', () => {
  const failure = (status: number, body: object) => Object.assign(new Error('fetch failed'), { statusCode: status, data: body })

  it('maps a 400\'s data.issues to field errors and data.missing to the missing list', async () => {
    const action = useApiAction(() => Promise.reject(failure(400, {
      statusCode: 400,
      message: 'Invalid request',
      data: { issues: [{ path: 'name', message: 'must not be empty' }, { path: 'name', message: 'second' }], missing: ['subscription', 'bogus'] },
    })), { missingMessage: 'Still missing:' })
    expect(await action.submit()).toBe(false)
    expect(action.fieldErrors).toEqual({ name: 'must not be empty' })
    expect(action.missing).toEqual(['subscription'])
    expect(action.error).toBe('Still missing:')
    expect(action.status).toBe(400)
    expect(action.busy).toBe(false)
  })

  it('prefers its own wording for a status, then the API\'s message, then the fallback', async () => {
    let next: unknown = failure(429, { message: 'Too Many Requests' })
    const action = useApiAction(() => Promise.reject(next), { statusMessages: { 429: 'Slow down.' }, fallback: 'Try again.' })
    await action.submit()
    expect(action.error).toBe('Slow down.')
    next = failure(409, { message: 'Already installed' })
    await action.submit()
    expect(action.error).toBe('Already installed')
    next = new TypeError('network down')
    await action.submit()
    expect(action.error).toBe('Try again.')
  })

  it('on success clears the last error, keeps the notice onSuccess returns and is busy only meanwhile', async () => {
    let release!: (value: string) => void
    let fail = true
    const action = useApiAction((_id: string) => (fail ? Promise.reject(failure(500, {})) : new Promise<string>((resolve) => {
      release = resolve
    })), { key: id => id, onSuccess: (result, id) => `${id}: ${result}` })
    await action.submit('a')
    expect(action.error).not.toBe('')
    fail = false
    const pending = action.submit('b')
    expect(action.busy).toBe(true)
    expect(action.busyKey).toBe('b')
    expect(action.error).toBe('')
    release('done')
    expect(await pending).toBe(true)
    expect(action.notice).toBe('b: done')
    expect(action.busy).toBe(false)
    expect(action.busyKey).toBeNull()
  })
})
