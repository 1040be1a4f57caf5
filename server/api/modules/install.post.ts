import { setResponseStatus } from 'h3'
import { installInputSchema } from '../../../shared/contracts/modules'
import { requestInstall } from '../../domains/modules/installs'

/** POST /api/modules/install: 202 queued for the agent, 200 with the install when that version is already installed. */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const input = await readInput(event, installInputSchema)
  const { queued, install } = await requestInstall(await useDeps(), license.id, input)
  setResponseStatus(event, queued ? 202 : 200)
  return { install }
})
