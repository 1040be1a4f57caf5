import type { AgentConfig } from './config'
import { cairnFetch } from './cairn'
import { errorMessage, info, warn } from './log'

/** POST /api/agent/heartbeat at start and every minute: the owner panel shows "agent online". */
export function startHeartbeat(config: AgentConfig, version: string, executor: string): () => void {
  let warned = false
  const beat = async () => {
    try {
      const res = await cairnFetch(config, '/api/agent/heartbeat', { method: 'POST', body: JSON.stringify({ version, executor }) })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      if (warned) info('heartbeat_ok')
      warned = false
    }
    catch (e) {
      if (!warned) warn('heartbeat_failed', { error: errorMessage(e) })
      warned = true
    }
  }
  void beat()
  const timer = setInterval(() => void beat(), config.heartbeatMs)
  return () => clearInterval(timer)
}
