import { setResponseStatus } from 'h3'
import { installInputSchema, requestInstall } from '../../domains/modules/installs'

/** POST /api/modules/install: 202 queued for the agent, 200 with the install when that version is already installed. */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const input = await readInput(event, installInputSchema)
  const { db, clock } = await useAppContext()
  const { queued, install } = await requestInstall({ db, now: clock.now() }, license.id, input)
  setResponseStatus(event, queued ? 202 : 200)
  return { install }
})
