import { DataDirBusyError } from '../db/data-dir-lock'
import { isPgliteDirInitialized } from '../db/pglite-init'
import { createDeps } from '../platform/deps'
import { appEnv, ConfigError, pgliteDir, type AppEnv } from '../platform/env'
import { registerNatsProbe } from '../platform/health'
import { errorFields, logger } from '../platform/logger'
import { NatsLink } from '../integrations/nats/connection'
import { hashDemoPassword, seedDemo } from '../domains/demo/seed'
import { openFromEnv } from '../platform/startup'
import { createNotifyBus, notify } from '../platform/notify'
import { setAppContext, type AppContext } from '../http/app-context'

/** A start-up failure stops the process: an operator's mistake as one line, anything else with its stack. */
function exitOnStartupFailure(error: unknown): never {
  if (error instanceof ConfigError || error instanceof DataDirBusyError) logger.error(error.message)
  else logger.error('start-up failed, exiting', errorFields(error))
  process.exit(1)
}

/** Parsed before the listener opens, so a server with a bad variable never serves a request. */
function configuration(): AppEnv {
  try {
    return appEnv()
  }
  catch (error) {
    return exitOnStartupFailure(error)
  }
}

export default defineNitroPlugin((nitroApp) => {
  const env = configuration()
  const ready = (async (): Promise<AppContext> => {
    // A fresh embedded folder gets the demo seed: its password hash runs beside the database's creation.
    const demoPasswordHash = env.seedDemo && !env.databaseUrl && !isPgliteDirInitialized(pgliteDir(env)) ? hashDemoPassword() : undefined
    const { handle, keys, release } = await openFromEnv(env, { owner: 'cairn server', migrate: 'from-env', log: logger })
    nitroApp.hooks.hook('close', async () => {
      await handle.close()
      release()
    })
    let nats: NatsLink | undefined
    if (env.natsUrl) {
      const link = new NatsLink(env.natsUrl, logger, env.natsCreds)
      nats = link
      registerNatsProbe(() => link.status())
      void link.connection().catch(() => {})
      nitroApp.hooks.hook('close', () => link.close())
    }
    const bus = createNotifyBus(handle.listen, logger, { send: (channel, payload) => notify({ db: handle.db }, channel, payload) })
    nitroApp.hooks.hook('close', () => bus.close())
    const deps = createDeps({ db: handle.db, env, keys, log: logger, nats, bus })
    if (env.seedDemo) await seedDemo(deps, demoPasswordHash)
    logger.info('cairn ready', { database: handle.kind, nats: env.natsUrl ? (env.natsCreds ? 'configured with credentials' : 'configured') : 'disabled', nats_agent_credentials: env.natsAgent ? 'issued' : 'off', public_url: env.publicUrl })
    return { deps, handle }
  })()
  setAppContext(ready)
  // A broken schema must stop the app, not limp along.
  ready.catch(exitOnStartupFailure)
})
