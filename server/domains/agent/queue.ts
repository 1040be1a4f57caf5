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

/** GET /api/agent/queue?wait=<s>: the open messages, after at most `waitSeconds` of waiting for one. */
export async function pollAgentQueue(deps: Deps, licenseId: string, waitSeconds: number, signal?: AbortSignal): Promise<AgentQueue> {
  if (waitSeconds > 0 && !(await somethingWaiting(deps, licenseId))) {
    const deadline = deps.clock.now().getTime() + waitSeconds * 1000
    let wake: () => void = () => {}
    const unlisten = deps.bus?.listen(AGENT_QUEUE_CHANNEL, (payload) => {
      if (payload === licenseId) wake()
    })
    const onAbort = () => wake()
    signal?.addEventListener('abort', onAbort)
    try {
      while (!signal?.aborted) {
        const left = deadline - deps.clock.now().getTime()
        if (left <= 0) break
        const woken = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), Math.min(left, RECHECK_MS))
          wake = () => {
            clearTimeout(timer)
            resolve(true)
          }
        })
        if (woken || (await somethingWaiting(deps, licenseId))) break
      }
    }
    finally {
      unlisten?.()
      signal?.removeEventListener('abort', onAbort)
    }
  }
  return takeOpenMessages(deps, licenseId)
}
