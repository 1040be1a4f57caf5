import { sendDueAnnouncements } from '../domains/operations/discord'
import { runEvery } from '../http/background-job'
import { DISCORD_RELAY_POLL_SECONDS } from '../../shared/contracts/limits'

/** Posts due Discord announcements (rows claimed with SKIP LOCKED: safe on every replica). */
export default defineNitroPlugin((nitroApp) => {
  runEvery(nitroApp, DISCORD_RELAY_POLL_SECONDS * 1000, 'discord announcements', deps => sendDueAnnouncements(deps, fetch))
})
