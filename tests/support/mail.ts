import type { Mail, Mailer } from '../../server/integrations/mail/transport'

/** A mailer that keeps what it was given. */
export function capturingMailer(): Mailer & { sent: Mail[] } {
  const sent: Mail[] = []
  return { sent, send: async (mail) => { sent.push(mail) }, close() {} }
}

/** A mailer whose SMTP server refuses everything. */
export function failingMailer(message: string): Mailer {
  return { send: async () => { throw new Error(message) }, close() {} }
}

/** The token of the `/reset/<token>` link in a mail body. */
export function resetLinkToken(body: string): string {
  const match = /\/reset\/([A-Za-z0-9_-]+)/.exec(body)
  if (!match?.[1]) throw new Error('no reset link in the mail')
  return match[1]
}
