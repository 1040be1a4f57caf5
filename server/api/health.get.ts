import { checkHealth } from '../platform/health'

export default defineEventHandler(async (event) => {
  let result: Awaited<ReturnType<typeof checkHealth>>
  try {
    const ctx = await useAppContext()
    result = await checkHealth(ctx.handle, ctx.deps.env)
  }
  catch {
    result = { status: 'error', db: 'down', nats: 'disabled' }
  }
  if (result.db !== 'ok') setResponseStatus(event, 503)
  return result
})
