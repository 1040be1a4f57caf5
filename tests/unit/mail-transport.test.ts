import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMailer } from '../../server/integrations/mail/transport'
import { fixedClock } from '../../server/platform/clock'
import type { Logger } from '../../server/platform/logger'
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp/server'

const link = 'https://panel.example.test/reset/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbA'
const mail = { to: 'owner@example.com', subject: 'Reset your Cairn password', text: `Plain body ${link}`, html: `<p>HTML body <a href="${link}">reset</a></p>` }
const clock = fixedClock('2026-11-26T10:00:00Z')

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = []
  const write = (msg: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ msg, ...fields }))
  }
  return { lines, info: write, warn: write, error: write }
}

let smtp: FakeSmtp
beforeAll(async () => {
  smtp = await startFakeSmtp()
})
afterAll(() => smtp.close())

describe('mail over SMTP (SMTP_URL)', () => {
  it('delivers one message with a plain-text and an HTML part from MAIL_FROM', async () => {
    const mailer = createMailer({ smtpUrl: smtp.smtpUrl, mailFrom: 'Cairn <no-reply@panel.example.test>', dataDir: '/nonexistent' }, recordingLog(), clock)
    await mailer.send(mail)
    mailer.close()
    const [got] = smtp.messages.splice(0)
    expect(got!.to).toEqual(['owner@example.com'])
    expect(got!.from).toBe('no-reply@panel.example.test')
    expect(got!.subject).toBe('Reset your Cairn password')
    expect(got!.raw).toMatch(/multipart\/alternative/)
    expect(got!.raw).toMatch(/Content-Type: text\/plain/)
    expect(got!.raw).toMatch(/Content-Type: text\/html/)
    expect(got!.decoded).toContain(link)
  })

  it('throws when the server refuses (so the outbox retries) or the credentials are wrong', async () => {
    const mailer = createMailer({ smtpUrl: smtp.smtpUrl, mailFrom: 'no-reply@panel.example.test', dataDir: '/nonexistent' }, recordingLog(), clock)
    smtp.failNext(1)
    await expect(mailer.send(mail)).rejects.toThrow(/451/)
    await mailer.send(mail)
    expect(smtp.messages.splice(0)).toHaveLength(1)
    mailer.close()
    const wrong = createMailer({ smtpUrl: smtp.smtpUrl.replace('smtp-test-password', 'nope'), mailFrom: 'no-reply@panel.example.test', dataDir: '/nonexistent' }, recordingLog(), clock)
    await expect(wrong.send(mail)).rejects.toThrow()
    wrong.close()
    expect(smtp.messages).toHaveLength(0)
  })
})

describe('mail without SMTP_URL (embedded default)', () => {
  it('writes the whole mail to DATA_DIR/mail/*.eml (owner-only) and logs where, never the link', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cairn-mail-'))
    const log = recordingLog()
    const mailer = createMailer({ smtpUrl: undefined, mailFrom: 'no-reply@localhost', dataDir }, log, clock)
    await mailer.send(mail)
    await mailer.send(mail)
    const files = readdirSync(join(dataDir, 'mail'))
    expect(files).toHaveLength(2)
    expect(files[0]).toMatch(/^2026-11-26T10-00-00-000Z-\d+-0\.eml$/)
    const file = join(dataDir, 'mail', files[0]!)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const eml = readFileSync(file, 'utf8')
    expect(eml).toMatch(/^To: owner@example\.com$/m)
    expect(eml).toMatch(/multipart\/alternative/)
    expect(eml.replace(/=\n/g, '')).toContain(link)
    expect(log.lines).toHaveLength(2)
    expect(log.lines[0]).toContain(file)
    for (const line of log.lines) {
      expect(line).not.toContain('reset/')
      expect(line).not.toContain('owner@example.com')
    }
  })
})
