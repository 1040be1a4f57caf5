import { apiDocument } from '../http/openapi'

export default defineEventHandler(async () => {
  const { env } = await useDeps()
  return apiDocument(env.publicUrl)
})
