import type { AgentConfig } from './config'

// Calls to the panel's agent API with the companion token.

export function cairnFetch(config: AgentConfig, path: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
  const { timeoutMs = 15_000, ...rest } = init
  const signal = rest.signal ? AbortSignal.any([rest.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs)
  return fetch(`${config.url}${path}`, {
    ...rest,
    signal,
    headers: { 'authorization': `Bearer ${config.token}`, 'content-type': 'application/json', ...rest.headers },
  })
}

/** True when `url` is on the panel's origin (the only place the token is sent). */
export function onPanelOrigin(config: AgentConfig, url: string): boolean {
  try {
    return new URL(url).origin === new URL(config.url).origin
  }
  catch {
    return false
  }
}
