import { createMailer, type Mailer } from '../integrations/mail/transport'
import { processMailOutbox } from '../domains/mail/outbox'
import { renderPasswordReset } from '../domains/auth/password'
import { runEvery } from '../http/background-job'
import { MAIL_POLL_SECONDS } from '../../shared/contracts/limits'

/** Sends queued mails (SMTP_URL, or files under DATA_DIR/mail/) off the request path; safe on every replica. */
export default defineNitroPlugin((nitroApp) => {
  let mailer: Mailer | undefined
  runEvery(nitroApp, MAIL_POLL_SECONDS * 1000, 'mail outbox', async (deps) => {
    mailer ??= createMailer(deps.env, deps.log, deps.clock)
    const { sent } = await processMailOutbox(deps, mailer, { password_reset: renderPasswordReset })
    return sent
  })
  nitroApp.hooks.hook('close', () => mailer?.close())
})
