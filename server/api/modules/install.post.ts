import { setResponseStatus } from 'h3'
import { installInputSchema, requestInstall } from '../../services/modules/installs'

/** POST /api/modules/install: 202 with the queued install (409 while one of that module is in flight). */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const input = await readInput(event, installInputSchema)
  const { db, clock } = await useAppContext()
  const install = await requestInstall({ db, now: clock.now() }, license.id, input)
  setResponseStatus(event, 202)
  return { install }
})
