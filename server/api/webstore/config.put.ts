import { actorOf } from '../../domains/operations/audit'
import { storeConfigInputSchema } from '../../../shared/contracts/webstore'
import { presentStoreConfig, saveStoreConfig } from '../../domains/webstore/config'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const input = await readInput(event, storeConfigInputSchema)
  const deps = await useDeps()
  const row = await saveStoreConfig(deps, license.id, input, actorOf(user))
  return { config: presentStoreConfig(deps.env, license, row) }
})
