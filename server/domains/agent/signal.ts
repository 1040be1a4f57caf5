// In-process wake-up for the relay: a committed outbox row is published at once instead of at
// the next poll. Other replicas still find it by polling, so losing a signal loses nothing.

type Listener = () => void
const listeners = new Set<Listener>()

export function notifyOutbox(): void {
  for (const listener of listeners) listener()
}

export function onOutbox(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
