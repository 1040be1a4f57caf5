import type { AgentConfig } from './config'
import type { Executor } from './executors/types'
import { NotSent } from './executors/types'
import type { Ack, Journal, Kind } from './journal'
import { errorMessage, info, sleep, warn } from './log'
import { installModule, type ModuleInstallMessage } from './modules'
import { validateDelivery, validateModuleInstall } from './schema'

// Runs messages from any transport exactly once per id and keeps their acks until Cairn has them.

export interface DeliveryMessage {
  id: string
  transaction_id: string
  player: { name: string, uuid: string | null }
  commands: Array<{ command: string, require_online: boolean }>
  created_at: string
}

/** Delivers acks to Cairn; true once Cairn accepted them (any result: applied, duplicate, unknown). */
export type AckSender = (acks: Ack[]) => Promise<boolean>

const DETAIL_MAX = 2000

export class Runner {
  private readonly active = new Map<string, Promise<void>>()
  private readonly ackWaiters = new Map<string, Array<() => void>>()
  private readonly wanted = new Set<string>()
  private stopping = false
  private wakeAcks: (() => void) | undefined
  private ackLoop: Promise<void> | undefined
  senders: AckSender[] = []

  constructor(private readonly config: AgentConfig, private readonly journal: Journal, private readonly executor: Executor) {}

  start(): void {
    // Messages a previous run decided but never got acked: ack them now.
    for (const [id, s] of this.journal.messages) if (s.result && !s.acked) this.wanted.add(id)
    this.ackLoop = this.runAcks()
  }

  /**
   * Takes one message from a transport. Resolves when Cairn has its ack (so a JetStream message
   * can be acked then), or at once with 'dropped' when it fails the schema.
   */
  accept(kind: Kind, raw: unknown, transport: 'nats' | 'http'): { outcome: 'dropped' | 'running' | 'duplicate', acked: Promise<void> } {
    const problem = kind === 'delivery' ? validateDelivery(raw) : validateModuleInstall(raw)
    if (problem) {
      warn('message_dropped', { transport, kind, reason: `schema: ${problem}`, id: typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : null })
      return { outcome: 'dropped', acked: Promise.resolve() }
    }
    const id = (raw as { id: string }).id
    const acked = new Promise<void>((resolve) => {
      const list = this.ackWaiters.get(id) ?? []
      list.push(resolve)
      this.ackWaiters.set(id, list)
    })
    const state = this.journal.messages.get(id)
    if (state?.result) {
      // Seen before: never run again, only acked again.
      this.queueAck(id)
      return { outcome: 'duplicate', acked }
    }
    if (this.active.has(id) || this.stopping) return { outcome: 'duplicate', acked }
    info('message_received', { transport, kind, id })
    const task = (kind === 'delivery' ? this.runDelivery(raw as DeliveryMessage) : this.runInstall(raw as ModuleInstallMessage))
      .catch(e => warn('message_error', { id, error: errorMessage(e) }))
      .finally(() => this.active.delete(id))
    this.active.set(id, task)
    return { outcome: 'running', acked }
  }

  private decide(ack: Ack): void {
    this.journal.write({ t: 'result', ack: { ...ack, ...(ack.detail ? { detail: ack.detail.slice(0, DETAIL_MAX) } : {}) } })
    info('message_finished', { id: ack.id, kind: ack.kind, status: ack.status, detail: ack.detail ?? null })
    this.queueAck(ack.id)
  }

  private async runInstall(m: ModuleInstallMessage): Promise<void> {
    this.decide(await installModule(this.config, this.journal, m))
  }

  private async runDelivery(m: DeliveryMessage): Promise<void> {
    const s = this.journal.state(m.id)
    const firstOnline = m.commands.findIndex(c => c.require_online)
    for (let i = 0; i < m.commands.length;) {
      if (s.ended.has(i) || s.unanswered.has(i)) {
        i++
        continue
      }
      if (this.stopping) return // the rest runs after restart; nothing half-done
      if (firstOnline >= 0 && i >= firstOnline && !(await this.waitOnline(m))) return
      const command = m.commands[i]!.command
      try {
        const reply = await this.executor.send(command, () => this.journal.write({ t: 'begin', id: m.id, i, command }))
        this.journal.write({ t: 'end', id: m.id, i, reply: reply.slice(0, 500), ok: true })
        info('command_sent', { id: m.id, index: i, command, reply: reply.slice(0, 200) })
        i++
      }
      catch (e) {
        if (e instanceof NotSent) {
          await sleep(1000)
          continue
        }
        // It left the agent but no reply came: it may have run, so it is never sent again.
        warn('command_unanswered', { id: m.id, index: i, command, error: errorMessage(e) })
        i++
      }
    }
    const unanswered = [...s.unanswered.entries()].sort(([a], [b]) => a - b)
    if (unanswered.length > 0) {
      const named = unanswered.map(([i, c]) => `command ${i + 1} \`${c}\``).join(', ')
      this.decide({ id: m.id, kind: 'delivery', status: 'failed', detail: `${named}: sent to the game server but no reply came (the agent or the connection stopped); not re-sent, to avoid running it twice. Check the server and run it by hand if needed.${this.summary(m, s.ended)}` })
    }
    else {
      this.decide({ id: m.id, kind: 'delivery', status: 'done', detail: `${this.executor.name === 'stdout' ? 'printed (stdout executor)' : 'ran over RCON'}:${this.summary(m, s.ended)}` })
    }
  }

  private summary(m: DeliveryMessage, ended: Map<number, { reply: string }>): string {
    return m.commands.map((c, i) => ended.has(i) ? `\n${c.command}${ended.get(i)!.reply && this.executor.name === 'rcon' ? ` → ${ended.get(i)!.reply.slice(0, 120)}` : ''}` : '').join('')
  }

  /** Waits until the delivery's player is listed online; false when the agent is stopping. */
  private async waitOnline(m: DeliveryMessage): Promise<boolean> {
    let told = false
    while (!this.stopping) {
      try {
        const online = await this.executor.onlinePlayers()
        if (online.has('*') || online.has(m.player.name.toLowerCase())) return true
      }
      catch (e) {
        if (!(e instanceof NotSent)) warn('online_check_failed', { error: errorMessage(e) })
      }
      if (!told) info('waiting_for_player', { id: m.id, player: m.player.name })
      told = true
      await this.pause(this.config.onlineCheckMs)
    }
    return false
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms)
      this.onStop.add(() => {
        clearTimeout(t)
        resolve()
      })
    })
  }

  private readonly onStop = new Set<() => void>()

  private queueAck(id: string): void {
    this.wanted.add(id)
    this.wakeAcks?.()
  }

  private async runAcks(): Promise<void> {
    let delay = 500
    for (;;) {
      if (this.wanted.size === 0) {
        if (this.stopping) return
        await new Promise<void>((resolve) => {
          this.wakeAcks = resolve
        })
        this.wakeAcks = undefined
        continue
      }
      const ids = [...this.wanted].slice(0, 500)
      const acks = ids.map(id => this.journal.messages.get(id)?.result).filter((a): a is Ack => a !== undefined)
      let accepted = false
      for (const send of this.senders) {
        accepted = await send(acks).catch(() => false)
        if (accepted) break
      }
      if (accepted) {
        for (const ack of acks) {
          if (!this.journal.messages.get(ack.id)?.acked) this.journal.write({ t: 'acked', id: ack.id })
          this.wanted.delete(ack.id)
          info('ack_accepted', { id: ack.id, kind: ack.kind, status: ack.status })
          for (const resolve of this.ackWaiters.get(ack.id) ?? []) resolve()
          this.ackWaiters.delete(ack.id)
        }
        delay = 500
        continue
      }
      if (this.stopping) return
      warn('ack_retry', { pending: ids.length, retry_s: delay / 1000 })
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay)
        this.wakeAcks = () => {
          clearTimeout(t)
          resolve()
        }
      })
      delay = Math.min(delay * 2, 30_000)
    }
  }

  /** SIGTERM: let the command in flight finish, start nothing new, try the acks once more. */
  async stop(): Promise<void> {
    this.stopping = true
    for (const f of this.onStop) f()
    await Promise.allSettled([...this.active.values()])
    this.wakeAcks?.()
    await Promise.race([this.ackLoop, sleep(5000)])
  }
}
