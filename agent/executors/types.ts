/** Where commands run. `send` resolves with the server's reply; it rejects with `NotSent` only when nothing left the agent. */
export interface Executor {
  readonly name: 'rcon' | 'stdout'
  /** Resolves once the executor can take a command (e.g. RCON authenticated). */
  ready(): Promise<void>
  /**
   * Sends one command and waits for its reply. `beforeWrite` runs right before the bytes leave
   * (the journal's `begin`); a rejection with `NotSent` means it never ran.
   */
  send(command: string, beforeWrite?: () => void): Promise<string>
  /** Online player names (lower-case). */
  onlinePlayers(): Promise<Set<string>>
  close(): Promise<void>
}

/** The command never reached the game server: safe to try again later. */
export class NotSent extends Error {}

/** Names after the first ':' of a `list` reply, comma-separated (Minecraft: "There are 2 of a max of 20 players online: a, b"). */
export function parsePlayerList(reply: string): Set<string> {
  const colon = reply.indexOf(':')
  if (colon < 0) return new Set()
  // eslint-disable-next-line no-control-regex -- strip colour codes and control characters
  return new Set(reply.slice(colon + 1).replace(/§./g, '').split(',').map(s => s.replace(/[\u0000-\u001F]/g, '').trim().toLowerCase()).filter(Boolean))
}
