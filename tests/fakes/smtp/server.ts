import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/** One mail as the fake received it over SMTP. */
export interface ReceivedMail {
  /** RCPT TO addresses. */
  to: string[]
  from: string
  subject: string
  /** The raw RFC 5322 message. */
  raw: string
  /** The raw message with quoted-printable soft breaks and escapes undone (what a reader sees). */
  decoded: string
}

export interface FakeSmtp {
  /** `smtp://user:pass@127.0.0.1:<port>` for SMTP_URL. */
  smtpUrl: string
  /** HTTP view for test workers: GET /messages[?to=], POST /fail?count=n (the next n mails get a 451). */
  inboxUrl: string
  messages: ReceivedMail[]
  /** The next `count` mails are refused with a temporary error. */
  failNext(count: number): void
  close(): Promise<void>
}

export const FAKE_SMTP_USER = 'cairn'
export const FAKE_SMTP_PASSWORD = 'smtp-test-password'

function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

/** A real SMTP server (nodemailer's smtp-server, AUTH PLAIN/LOGIN without TLS on loopback) that keeps every mail. */
export async function startFakeSmtp(): Promise<FakeSmtp> {
  const messages: ReceivedMail[] = []
  let failures = 0
  const smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === FAKE_SMTP_USER && auth.password === FAKE_SMTP_PASSWORD) callback(null, { user: auth.username })
      else callback(new Error('535 authentication failed'))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (failures > 0) {
          failures--
          const error = new Error('451 try again later') as Error & { responseCode: number }
          error.responseCode = 451
          callback(error)
          return
        }
        const raw = Buffer.concat(chunks).toString('utf8')
        const decoded = decodeQuotedPrintable(raw)
        messages.push({
          to: session.envelope.rcptTo.map(r => r.address),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          subject: /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '',
          raw,
          decoded,
        })
        callback()
      })
    },
  })
  await new Promise<void>(resolve => smtp.listen(0, '127.0.0.1', resolve))
  const smtpPort = (smtp.server.address() as AddressInfo).port

  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    if (req.method === 'POST' && url.pathname === '/fail') {
      failures = Number(url.searchParams.get('count') ?? 1)
      res.writeHead(204).end()
      return
    }
    if (url.pathname === '/messages') {
      const to = url.searchParams.get('to')?.toLowerCase()
      const list = to ? messages.filter(m => m.to.some(a => a.toLowerCase() === to)) : messages
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list))
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
  const httpPort = (http.address() as AddressInfo).port

  return {
    smtpUrl: `smtp://${FAKE_SMTP_USER}:${FAKE_SMTP_PASSWORD}@127.0.0.1:${smtpPort}`,
    inboxUrl: `http://127.0.0.1:${httpPort}`,
    messages,
    failNext(count) {
      failures = count
    },
    async close() {
      await new Promise<void>(resolve => smtp.close(() => resolve()))
      await new Promise<void>(resolve => http.close(() => resolve()))
    },
  }
}
