import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { join } from 'node:path'

// The agent's memory, JSON lines in CAIRN_STATE_DIR/journal.jsonl, each line fsync'ed before the
// call returns. `begin` is written before a command goes to the game server and `end` after its
// reply: a `begin` without an `end` after a crash means "maybe ran", so it is never sent again.

export type Kind = 'delivery' | 'module_install'

export interface Ack {
  id: string
  kind: Kind
  status: 'done' | 'failed'
  detail?: string
}

export type Entry =
  | { t: 'begin', id: string, i: number, command: string }
  | { t: 'end', id: string, i: number, reply: string, ok: boolean }
  | { t: 'result', ack: Ack }
  | { t: 'acked', id: string }
  | { t: 'module', module_id: string, filename: string }

export interface MessageState {
  /** Command index → its reply, for commands that finished (ok or not). */
  ended: Map<number, { reply: string, ok: boolean }>
  /** Commands sent whose reply never came (a crash or a lost connection in between). */
  unanswered: Map<number, string>
  result?: Ack
  acked: boolean
}

export class Journal {
  readonly messages = new Map<string, MessageState>()
  /** module_id → the file this agent installed for it (older versions are removed on upgrade). */
  readonly modules = new Map<string, string>()
  private fd: number
  private readonly file: string

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true })
    this.file = join(dir, 'journal.jsonl')
    if (existsSync(this.file)) this.replay(readFileSync(this.file, 'utf8'))
    this.compact()
    this.fd = openSync(this.file, 'a')
  }

  state(id: string): MessageState {
    let s = this.messages.get(id)
    if (!s) {
      s = { ended: new Map(), unanswered: new Map(), acked: false }
      this.messages.set(id, s)
    }
    return s
  }

  private apply(e: Entry): void {
    if (e.t === 'module') {
      this.modules.set(e.module_id, e.filename)
      return
    }
    if (e.t === 'result') {
      this.state(e.ack.id).result = e.ack
      return
    }
    const s = this.state(e.id)
    if (e.t === 'begin') s.unanswered.set(e.i, e.command)
    else if (e.t === 'end') {
      s.unanswered.delete(e.i)
      s.ended.set(e.i, { reply: e.reply, ok: e.ok })
    }
    else s.acked = true
  }

  private replay(text: string): void {
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      try {
        this.apply(JSON.parse(line) as Entry)
      }
      catch {
        // A line torn by a crash mid-write: everything before it was fsync'ed and counts.
      }
    }
  }

  /** Appends and fsyncs one entry. */
  write(e: Entry): void {
    writeSync(this.fd, `${JSON.stringify(e)}\n`)
    fsyncSync(this.fd)
    this.apply(e)
  }

  /**
   * Rewrites the file with what still matters: open messages in full, closed ones as their
   * result + acked (so a repeated id is acked again, never re-run), and installed modules.
   */
  private compact(): void {
    const lines: string[] = []
    for (const [module_id, filename] of this.modules) lines.push(JSON.stringify({ t: 'module', module_id, filename }))
    for (const [id, s] of this.messages) {
      for (const [i, command] of s.unanswered) lines.push(JSON.stringify({ t: 'begin', id, i, command }))
      for (const [i, r] of s.ended) if (!s.acked) lines.push(JSON.stringify({ t: 'end', id, i, ...r }))
      if (s.result) lines.push(JSON.stringify({ t: 'result', ack: s.result }))
      if (s.acked) lines.push(JSON.stringify({ t: 'acked', id }))
    }
    const tmp = `${this.file}.tmp`
    const fd = openSync(tmp, 'w')
    writeSync(fd, lines.length ? `${lines.join('\n')}\n` : '')
    fsyncSync(fd)
    closeSync(fd)
    renameSync(tmp, this.file)
  }

  close(): void {
    closeSync(this.fd)
  }
}
