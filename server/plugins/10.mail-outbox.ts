import { errorFields } from '../platform/logger'
import { createMailer, type Mailer } from '../integrations/mail/transport'
import { processMailOutbox } from '../domains/mail/outbox'
import { renderPasswordReset } from '../domains/auth/password'
import { useDeps } from '../http/deps'
import { MAIL_POLL_SECONDS } from '../../shared/contracts/limits'

/** Sends queued mails (SMTP_URL, or files under DATA_DIR/mail/) off the request path; safe on every replica. */
export default defineNitroPlugin((nitroApp) => {
  let mailer: Mailer | undefined
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    void useDeps()
      .then(async (deps) => {
        mailer ??= createMailer(deps.env, deps.log, deps.clock)
        await processMailOutbox(deps, mailer, { password_reset: renderPasswordReset })
      })
      .catch(async (error: unknown) => {
        const deps = await useDeps().catch(() => undefined)
        deps?.log.warn('mail outbox pass failed', errorFields(error))
      })
      .finally(() => {
        running = false
      })
  }, MAIL_POLL_SECONDS * 1000)
  timer.unref()
  nitroApp.hooks.hook('close', () => {
    clearInterval(timer)
    mailer?.close()
  })
})
