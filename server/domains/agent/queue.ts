import { and, eq, inArray, lte, or } from 'drizzle-orm'
import { deliveries } from '../../db/schema'
import type { AgentQueue } from '../../../shared/contracts/agent'
import type { Deps } from '../../platform/deps'
import { takeOpenMessages } from './outbox'

// The HTTP agent queue with long-poll. A poll returns at once when a message is waiting for the
// agent (new, or due to be re-sent); otherwise it waits for a signal naming this license (any
// replica's commit, via LISTEN/NOTIFY) or the end of `wait`, re-checking the database every few
// seconds in case a signal was lost. Messages the agent already holds do not end the wait early.

const RECHECK_MS = 5000

/** NOTIFY'd with the license id by a trigger on every new outbox row (drizzle/0010_*.sql). */
export const AGENT_QUEUE_CHANNEL = 'cairn_agent_queue'

async function somethingWaiting(deps: Deps, licenseId: string): Promise<boolean> {
  const now = deps.clock.now()
  const [row] = await deps.db.select({ id: deliveries.id }).from(deliveries)
    .where(and(eq(deliveries.licenseId, licenseId), or(eq(deliveries.status, 'pending'), and(eq(deliveries.status, 'sent'), lte(deliveries.nextAttemptAt, now))), inArray(deliveries.status, ['pending', 'sent'])))
    .limit(1)
  return row !== undefined
}

/**
 * GET /api/agent/queue?wait=<s>: the open messages, after at most `waitSeconds` of waiting for one.
 * The LISTEN is in place before the first read, and a signal is latched, so a delivery committed
 * between polls, between the read and the LISTEN, or between two re-checks ends the wait at once.
 */
export async function pollAgentQueue(deps: Deps, licenseId: string, waitSeconds: number, signal?: AbortSignal, recheckMs = RECHECK_MS): Promise<AgentQueue> {
  if (waitSeconds <= 0) return takeOpenMessages(deps, licenseId)
  const deadline = deps.clock.now().getTime() + waitSeconds * 1000
  let signalled = false
  let wake: () => void = () => {}
  const rouse = () => {
    signalled = true
    wake()
  }
  const unlisten = await deps.bus?.subscribe(AGENT_QUEUE_CHANNEL, (payload) => {
    if (payload === licenseId) rouse()
  })
  signal?.addEventListener('abort', rouse)
  try {
    while (!signalled && !signal?.aborted && !(await somethingWaiting(deps, licenseId))) {
      const left = deadline - deps.clock.now().getTime()
      if (left <= 0 || signalled) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, recheckMs))
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      wake = () => {}
    }
  }
  finally {
    unlisten?.()
    signal?.removeEventListener('abort', rouse)
  }
  return takeOpenMessages(deps, licenseId)
}
