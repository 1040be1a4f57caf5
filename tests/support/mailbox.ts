import { inject } from 'vitest'
import type { ReceivedMail } from '../fakes/smtp/server'
import { pollFor } from './poll'

/** The mails the test SMTP server received for `to` so far. */
export async function mailsTo(to: string): Promise<ReceivedMail[]> {
  const res = await fetch(`${inject('smtpInboxUrl')}/messages?to=${encodeURIComponent(to)}`)
  return (await res.json()) as ReceivedMail[]
}

/** Waits for the `count`-th mail to `to` (the mail worker sends every few seconds). */
export async function waitForMail(to: string, count = 1): Promise<ReceivedMail> {
  return pollFor(async () => (await mailsTo(to))[count - 1], { timeoutMs: 20_000, everyMs: 200, failure: () => `no mail #${count} to ${to} within 20 s` })
}

/** The `/reset/<token>` link in a mail, and its token. */
export function resetLink(mail: ReceivedMail): { url: string, token: string } {
  const match = /(https?:\/\/[^\s"<>]+\/reset\/([A-Za-z0-9_-]+))/.exec(mail.decoded)
  if (!match?.[1] || !match[2]) throw new Error('no reset link in the mail')
  return { url: match[1], token: match[2] }
}
