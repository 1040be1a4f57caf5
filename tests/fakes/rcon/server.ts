import { createServer, type Server, type Socket } from 'node:net'

// A game server's RCON as Minecraft Java speaks it (Source RCON framing: int32 LE length, id,
// type, NUL-terminated body, NUL). Auth (type 3) is answered with one type-2 packet carrying the
// id (or -1 for a wrong password); a command (type 2) with one type-0 packet carrying the reply.
// It records every command it receives, answers `list` from its online players, and can
// withhold the reply to chosen commands (the game server hangs or dies mid-command).

const AUTH = 3
const AUTH_RESPONSE = 2
const COMMAND = 2
const RESPONSE = 0

export interface FakeRcon {
  port: number
  /** Every command received (not `list`), in arrival order, with the time it arrived. */
  commands: string[]
  receivedAt: number[]
  /** Every `list` asked. */
  listCalls: number
  online: Set<string>
  /** Commands matching this get no reply, ever. */
  withhold: (command: string) => boolean
  authFailures: number
  close(): Promise<void>
  /** Called with each recorded command (benchmarks). */
  onCommand?: (command: string, at: number) => void
}

function packet(id: number, type: number, body: string): Buffer {
  const payload = Buffer.from(body, 'utf8')
  const buf = Buffer.alloc(payload.length + 14)
  buf.writeInt32LE(payload.length + 10, 0)
  buf.writeInt32LE(id, 4)
  buf.writeInt32LE(type, 8)
  payload.copy(buf, 12)
  return buf
}

export async function startFakeRcon(options: { password: string, online?: string[], port?: number }): Promise<FakeRcon> {
  const sockets = new Set<Socket>()
  const fake: FakeRcon = {
    port: 0,
    commands: [],
    receivedAt: [],
    listCalls: 0,
    online: new Set(options.online ?? []),
    withhold: () => false,
    authFailures: 0,
    close: async () => {},
  }
  const listReply = () => {
    const names = [...fake.online]
    return `There are ${names.length} of a max of 20 players online: ${names.join(', ')}`
  }
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let authed = false
    let buffer = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      while (buffer.length >= 4) {
        const length = buffer.readInt32LE(0)
        if (buffer.length < length + 4) break
        const id = buffer.readInt32LE(4)
        const type = buffer.readInt32LE(8)
        const body = buffer.subarray(12, length + 2).toString('utf8')
        buffer = buffer.subarray(length + 4)
        if (type === AUTH) {
          authed = body === options.password
          if (!authed) fake.authFailures++
          socket.write(packet(authed ? id : -1, AUTH_RESPONSE, ''))
          continue
        }
        if (type !== COMMAND || !authed) continue
        if (body === 'list') {
          fake.listCalls++
          socket.write(packet(id, RESPONSE, listReply()))
          continue
        }
        const at = performance.now()
        fake.commands.push(body)
        fake.receivedAt.push(at)
        fake.onCommand?.(body, at)
        if (fake.withhold(body)) continue
        socket.write(packet(id, RESPONSE, `ok: ${body}`))
      }
    })
  })
  await new Promise<void>(resolve => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  fake.port = (server.address() as { port: number }).port
  fake.close = async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }
  return fake
}
