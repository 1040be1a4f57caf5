import type { Mail } from '../../integrations/mail/transport'
import { PASSWORD_RESET_TTL_MINUTES } from '../../../shared/contracts/limits'

// The mails Cairn sends, each with a plain-text and an HTML body.

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c] ?? c)

export function passwordResetMail(to: string, link: string): Mail {
  const subject = 'Reset your Cairn password'
  const text = [
    'Someone (hopefully you) asked to reset the password of your Cairn server panel.',
    '',
    `Choose a new password here (the link works once, for ${PASSWORD_RESET_TTL_MINUTES} minutes):`,
    link,
    '',
    'If you did not ask for this, ignore this mail: your password stays as it is.',
  ].join('\n')
  const href = escapeHtml(link)
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1c1917">
<p>Someone (hopefully you) asked to reset the password of your Cairn server panel.</p>
<p><a href="${href}" style="display:inline-block;background:#0f766e;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Choose a new password</a></p>
<p>The link works once, for ${PASSWORD_RESET_TTL_MINUTES} minutes: <br><a href="${href}">${href}</a></p>
<p>If you did not ask for this, ignore this mail: your password stays as it is.</p>
</body></html>`
  return { to, subject, text, html }
}
