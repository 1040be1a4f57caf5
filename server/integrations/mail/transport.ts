import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type { Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'

/** One mail as the app writes it: both bodies, always. */
export interface Mail {
  to: string
  subject: string
  text: string
  html: string
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the mail (or it was written to disk); throws otherwise. */
  send(mail: Mail): Promise<void>
  close(): void
}

export interface MailerConfig {
  smtpUrl: string | undefined
  mailFrom: string
  dataDir: string
}

/**
 * SMTP through nodemailer when SMTP_URL is set. Without it (the embedded default) each mail is
 * written as an .eml file under DATA_DIR/mail/ so the demo works offline; the log line says where,
 * never what (a mail may carry a live sign-in link).
 */
export function createMailer(config: MailerConfig, log: Logger, clock: Clock): Mailer {
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl)
    return {
      async send(mail) {
        await transport.sendMail({ from: config.mailFrom, ...mail })
      },
      close: () => transport.close(),
    }
  }
  const folder = join(config.dataDir, 'mail')
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  let sequence = 0
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: config.mailFrom, ...mail })
      await mkdir(folder, { recursive: true, mode: 0o700 })
      const stamp = clock.now().toISOString().replace(/[:.]/g, '-')
      const file = join(folder, `${stamp}-${process.pid}-${sequence++}.eml`)
      await writeFile(file, info.message as Buffer, { mode: 0o600, flag: 'wx' })
      log.info('mail written to file (no SMTP_URL)', { file })
    },
    close: () => transport.close(),
  }
}
