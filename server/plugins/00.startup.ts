import { LoginThrottle } from '../domains/auth/login'
import { systemClock } from '../platform/clock'
import { registerNatsProbe } from '../platform/health'
import { errorFields, logger } from '../platform/logger'
import { NatsLink } from '../integrations/nats/connection'
import { seedDemo } from '../domains/demo/seed'
import { openFromEnv } from '../platform/startup'
import { setAppContext, type AppContext } from '../http/app-context'

export default defineNitroPlugin((nitroApp) => {
  const ready = (async (): Promise<AppContext> => {
    const { env, handle, keys, release } = await openFromEnv({ owner: 'cairn server', migrate: 'from-env', log: logger })
    nitroApp.hooks.hook('close', async () => {
      await handle.close()
      release()
    })
    let nats: NatsLink | undefined
    if (env.natsUrl) {
      const link = new NatsLink(env.natsUrl, logger)
      nats = link
      registerNatsProbe(() => link.status())
      void link.connection().catch(() => {})
      nitroApp.hooks.hook('close', () => link.close())
    }
    if (env.seedDemo) await seedDemo(handle.db, keys, logger)
    logger.info('cairn ready', { database: handle.kind, nats: env.natsUrl ? 'configured' : 'disabled', public_url: env.publicUrl })
    return { env, handle, db: handle.db, keys, clock: systemClock, loginThrottle: new LoginThrottle(), log: logger, nats }
  })()
  setAppContext(ready)
  ready.catch((error) => {
    // A broken schema or a missing secret must stop the app, not limp along.
    logger.error('start-up failed, exiting', errorFields(error))
    process.exit(1)
  })
})
