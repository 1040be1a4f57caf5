import { afterAll, beforeAll } from 'vitest'
import { startFakePayPal, type FakePayPal } from '../fakes/paypal/server'
import { usePayPalUrl } from './paypal'

/**
 * The fake PayPal, in this process, for the calling test file: started before its tests (the
 * PayPal helpers then drive it), closed after them.
 */
export function useFakePayPal(options: Parameters<typeof startFakePayPal>[0] = {}): { readonly fake: FakePayPal } {
  let fake: FakePayPal | undefined
  beforeAll(async () => {
    fake = await startFakePayPal(options)
    usePayPalUrl(fake.url)
  })
  afterAll(() => fake?.close())
  return {
    get fake() {
      if (!fake) throw new Error('useFakePayPal: the fake is running from beforeAll on')
      return fake
    },
  }
}
