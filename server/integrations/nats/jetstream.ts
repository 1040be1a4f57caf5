import { AckPolicy, DeliverPolicy, DiscardPolicy, nanos, RetentionPolicy, StorageType, type JetStreamManager, type NatsConnection, type StreamConfig } from 'nats'
import type { Logger } from '../../platform/logger'
import type { OutboxKind } from '../../../shared/contracts/enums'
import { AGENT_STREAM, AGENT_STREAM_SUBJECTS, agentConsumerName, subjectFor } from './subjects'
import { AGENT_STREAM_MAX_MSGS_PER_SUBJECT, NATS_DUPLICATE_WINDOW_MINUTES } from '../../../shared/contracts/limits'

// The JetStream side of the agent contract: one work-queue stream over the agent-bound subjects,
// and one durable pull consumer per license, so an agent that was offline gets what it missed.

const DAY_NS = nanos(24 * 60 * 60 * 1000)

export const AGENT_STREAM_CONFIG: Partial<StreamConfig> = {
  name: AGENT_STREAM,
  subjects: AGENT_STREAM_SUBJECTS,
  retention: RetentionPolicy.Workqueue,
  storage: StorageType.File,
  // An agent offline for longer than this still gets everything from the database (HTTP queue
  // or re-sends): the stream is a buffer, not the record.
  max_age: 7 * DAY_NS,
  duplicate_window: nanos(NATS_DUPLICATE_WINDOW_MINUTES * 60 * 1000),
  // One subject (a license's deliveries or module installs) cannot grow the shared stream without
  // bound, e.g. when an agent makes JetStream answer into another license's subject (the server
  // does not check reply subjects). Over the cap the *new* publish is refused: the outbox row stays
  // queued and is offered again, where discarding old messages would lose unacked work silently.
  max_msgs_per_subject: AGENT_STREAM_MAX_MSGS_PER_SUBJECT,
  discard: DiscardPolicy.New,
  discard_new_per_subject: true,
}

// JetStream's error code for "maximum messages per subject exceeded" (nats.js reports it as a 503
// with the details in api_error).
const SUBJECT_FULL_ERR_CODE = 10077

/** Whether a publish was refused because its subject holds AGENT_STREAM_MAX_MSGS_PER_SUBJECT messages. */
export function isSubjectFull(error: unknown): boolean {
  const api = (error as { api_error?: { err_code?: number, description?: string } } | null)?.api_error
  return api?.err_code === SUBJECT_FULL_ERR_CODE || /maximum messages per subject exceeded/i.test(api?.description ?? '')
}

/** Creates the stream, or updates it to the current config (start-up; safe on every replica). */
export async function ensureAgentStream(nc: NatsConnection, log: Logger): Promise<JetStreamManager> {
  const jsm = await nc.jetstreamManager()
  try {
    await jsm.streams.info(AGENT_STREAM)
    try {
      await jsm.streams.update(AGENT_STREAM, AGENT_STREAM_CONFIG)
    }
    catch (error) {
      // e.g. a retention change the server refuses: publishing still works with the old config.
      log.warn('jetstream stream update refused, keeping the existing config', { stream: AGENT_STREAM, error: (error as Error).message })
    }
  }
  catch {
    await jsm.streams.add(AGENT_STREAM_CONFIG)
    log.info('jetstream stream created', { stream: AGENT_STREAM })
  }
  return jsm
}

/** A durable consumer of one license's agent (idempotent: adding an identical one is a no-op). */
export async function ensureAgentConsumer(jsm: JetStreamManager, licenseId: string, kind: OutboxKind = 'delivery'): Promise<void> {
  await jsm.consumers.add(AGENT_STREAM, {
    durable_name: agentConsumerName(licenseId, kind),
    filter_subject: subjectFor(kind, licenseId),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(60_000),
    max_deliver: -1,
  })
}

const ensured = new WeakMap<NatsConnection, { jsm: Promise<JetStreamManager>, licenses: Set<string> }>()

/**
 * Both durable consumers of a license, so an agent holding fresh credentials finds them before
 * its first delivery is published. Once per license and connection (in memory).
 */
export async function ensureLicenseConsumers(nc: NatsConnection, licenseId: string, log: Logger): Promise<void> {
  let entry = ensured.get(nc)
  if (!entry) {
    entry = { jsm: ensureAgentStream(nc, log), licenses: new Set() }
    entry.jsm.catch(() => ensured.delete(nc))
    ensured.set(nc, entry)
  }
  if (entry.licenses.has(licenseId)) return
  const jsm = await entry.jsm
  await Promise.all([ensureAgentConsumer(jsm, licenseId, 'delivery'), ensureAgentConsumer(jsm, licenseId, 'module_install')])
  entry.licenses.add(licenseId)
}
