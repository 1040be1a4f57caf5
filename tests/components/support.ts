import { registerEndpoint } from '@nuxt/test-utils/runtime'
import { readBody, setResponseStatus, type H3Event } from 'h3'
import { afterEach } from 'vitest'

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface Reply {
  status?: number
  body?: unknown
}

/** The requests a fake endpoint received (method and JSON body), in order. */
export interface Calls {
  bodies: unknown[]
}

/**
 * Answers `method url` in the Nuxt test app with `reply(body)` (a 200 `body` unless `status` says
 * otherwise) and records each request's body. Returns the recording and the unregister function.
 */
export function fakeApi(method: Method, url: string, reply: (body: unknown) => Reply): Calls & { off: () => void } {
  const calls: Calls = { bodies: [] }
  const off = registerEndpoint(url, {
    method,
    handler: async (event: H3Event) => {
      const body = method === 'GET' || method === 'DELETE' ? undefined : await readBody(event)
      calls.bodies.push(body)
      const { status = 200, body: answer } = reply(body)
      setResponseStatus(event, status)
      return answer ?? null
    },
  })
  return { ...calls, off }
}

/** The API's error body for a 400 (API.md: `data.issues`, and `data.missing` for a refused enable). */
export function badRequest(issues: { path: string, message: string }[], missing?: string[]): Reply {
  return { status: 400, body: { statusCode: 400, message: 'Invalid request', data: { issues, ...(missing ? { missing } : {}) } } }
}

/** `fakeApi` for one test file: every endpoint it registers is removed after each test. */
export function useFakeApi(): typeof fakeApi {
  const offs: (() => void)[] = []
  afterEach(() => {
    for (const off of offs.splice(0)) off()
  })
  return (method, url, reply) => {
    const calls = fakeApi(method, url, reply)
    offs.push(calls.off)
    return calls
  }
}
