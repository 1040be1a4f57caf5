import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { defineNuxtModule } from '@nuxt/kit'
import { openDb } from '../server/db'
import { runMigrations } from '../server/db/migrate'
import { PGLITE_TEMPLATE_DIR } from '../server/db/pglite-init'

/**
 * Builds `.output/server/pglite-template`: an embedded cluster with initdb done and every
 * migration applied, cleanly shut down. A fresh DATA_DIR starts as a copy of it instead of
 * running initdb in WebAssembly (most of a cold start); start-up still checks the migrations
 * and seeds the demo with secrets of its own.
 */
export default defineNuxtModule({
  meta: { name: 'cairn-pglite-template' },
  setup(_options, nuxt) {
    if (nuxt.options.dev) return
    nuxt.hook('nitro:init', (nitro) => {
      nitro.hooks.hook('compiled', async () => {
        const dir = join(nitro.options.output.serverDir, PGLITE_TEMPLATE_DIR)
        await rm(dir, { recursive: true, force: true })
        const handle = await openDb({ pgliteDir: dir })
        try {
          await runMigrations(handle, join(nuxt.options.rootDir, 'drizzle'))
        }
        finally {
          await handle.close()
        }
      })
    })
  },
})
