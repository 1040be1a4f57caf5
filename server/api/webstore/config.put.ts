import { presentStoreConfig, saveStoreConfig, storeConfigInputSchema } from '../../domains/webstore/config'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const input = await readInput(event, storeConfigInputSchema)
  const { db, env, keys, clock } = await useAppContext()
  const row = await saveStoreConfig({ db, sealKey: keys.seal, now: clock.now() }, license.id, input)
  return { config: presentStoreConfig(env, license, row) }
})
