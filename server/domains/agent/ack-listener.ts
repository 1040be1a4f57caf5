import { and, eq } from 'drizzle-orm'
import type { NatsConnection, Subscription } from 'nats'
import { licenses } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { natsAckBodySchema } from '../../../shared/contracts/agent'
import { applyAcks } from './acks'
import { ACK_SUBJECT_WILDCARD, licenseFromAckSubject } from '../../integrations/nats/subjects'

// Listens on cairn.agent.*.acks. The subject names the license; an ack can only close that
// license's rows, and a suspended or revoked license gets no answer. Every replica handles every
// ack (no queue group): applying is idempotent, the first commit wins and the others see
// `duplicate`, and a process whose database does not know the license stays silent, so
// deployments (or test servers) sharing one NATS server never answer for each other.

async function handleAckMessage(deps: Deps, subject: string, data: Uint8Array): Promise<{ ok: boolean, error?: string, results?: Awaited<ReturnType<typeof applyAcks>> } | null> {
  const licenseId = licenseFromAckSubject(subject)
  if (!licenseId) return null
  const [license] = await deps.db.select({ id: licenses.id }).from(licenses).where(and(eq(licenses.id, licenseId), eq(licenses.status, 'active')))
  if (!license) return null
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(data))
  }
  catch {
    return { ok: false, error: 'body must be JSON' }
  }
  const parsed = natsAckBodySchema.safeParse(json)
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ') }
  return { ok: true, results: await applyAcks(deps, licenseId, parsed.data.acks) }
}

export function listenForAcks(deps: Deps, nc: NatsConnection): Subscription {
  const sub = nc.subscribe(ACK_SUBJECT_WILDCARD)
  void (async () => {
    for await (const msg of sub) {
      try {
        const reply = await handleAckMessage(deps, msg.subject, msg.data)
        if (!reply) continue
        if (!reply.ok) deps.log.warn('agent ack refused', { subject: msg.subject, error: reply.error })
        if (msg.reply) msg.respond(new TextEncoder().encode(JSON.stringify(reply)))
      }
      catch (error) {
        // The row stays open; the agent's next ack (or the HTTP queue) closes it.
        deps.log.error('agent ack failed', { subject: msg.subject, error: (error as Error).message })
      }
    }
  })()
  return sub
}
