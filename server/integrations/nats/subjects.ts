import type { OutboxKind } from '../../../shared/contracts/enums'
import { UUID_RE } from '../../../shared/rules/uuid'

// NATS names of the agent contract (docs/agent-contract.md). Subjects carry the license id.

/** One JetStream stream over the agent-bound subjects only (never acks). */
export const AGENT_STREAM = 'CAIRN_AGENT'
export const AGENT_STREAM_SUBJECTS = ['cairn.agent.*.deliveries', 'cairn.agent.*.modules.install']
export const ACK_SUBJECT_WILDCARD = 'cairn.agent.*.acks'

export function subjectFor(kind: OutboxKind, licenseId: string): string {
  return kind === 'delivery' ? `cairn.agent.${licenseId}.deliveries` : `cairn.agent.${licenseId}.modules.install`
}

export function ackSubject(licenseId: string): string {
  return `cairn.agent.${licenseId}.acks`
}

/**
 * The durable pull consumers Cairn creates for each license's agent: one per agent-bound subject
 * (a consumer's filter must be a subset of the stream's subjects, and work-queue consumers may
 * not overlap).
 */
export function agentConsumerName(licenseId: string, kind: OutboxKind = 'delivery'): string {
  return kind === 'delivery' ? `agent_${licenseId}_deliveries` : `agent_${licenseId}_modules`
}

/** The license id of `cairn.agent.<id>.acks`, or null when the subject is anything else. */
export function licenseFromAckSubject(subject: string): string | null {
  const parts = subject.split('.')
  if (parts.length !== 4 || parts[0] !== 'cairn' || parts[1] !== 'agent' || parts[3] !== 'acks') return null
  const id = parts[2] ?? ''
  // Cairn publishes lower-case ids only; any other spelling is not one of its subjects.
  return UUID_RE.test(id) && id === id.toLowerCase() ? id : null
}
