import type { OutboxKind } from '../../db/schema'

// NATS names of the agent contract (docs/agent-contract.md). Subjects carry the license id.

/** One JetStream stream over the agent-bound subjects only (never acks). */
export const AGENT_STREAM = 'CAIRN_AGENT'
export const AGENT_STREAM_SUBJECTS = ['cairn.agent.*.deliveries', 'cairn.agent.*.modules.install']
export const ACK_SUBJECT_WILDCARD = 'cairn.agent.*.acks'
export const ACK_QUEUE_GROUP = 'cairn-acks'

export function subjectFor(kind: OutboxKind, licenseId: string): string {
  return kind === 'delivery' ? `cairn.agent.${licenseId}.deliveries` : `cairn.agent.${licenseId}.modules.install`
}

export function ackSubject(licenseId: string): string {
  return `cairn.agent.${licenseId}.acks`
}

/** The durable pull consumer Cairn creates for each license's agent. */
export function agentConsumerName(licenseId: string): string {
  return `agent_${licenseId}`
}

export function agentConsumerFilter(licenseId: string): string {
  return `cairn.agent.${licenseId}.>`
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The license id of `cairn.agent.<id>.acks`, or null when the subject is anything else. */
export function licenseFromAckSubject(subject: string): string | null {
  const parts = subject.split('.')
  if (parts.length !== 4 || parts[0] !== 'cairn' || parts[1] !== 'agent' || parts[3] !== 'acks') return null
  return UUID_RE.test(parts[2] ?? '') ? parts[2]! : null
}
