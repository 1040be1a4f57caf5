import { join } from 'node:path'
import { defineNuxtModule } from '@nuxt/kit'
import { PGLITE_TEMPLATE_DIR } from '../server/db/pglite-init'
import { buildPgliteTemplate } from '../server/db/pglite-template'

/**
 * Builds `.output/server/pglite-template` (server/db/pglite-template.ts): a migrated embedded
 * cluster a fresh DATA_DIR starts as a copy of, instead of running initdb in WebAssembly (most
 * of a cold start); start-up still checks the migrations and seeds the demo with secrets of its own.
 */
export default defineNuxtModule({
  meta: { name: 'cairn-pglite-template' },
  setup(_options, nuxt) {
    if (nuxt.options.dev) return
    nuxt.hook('nitro:init', (nitro) => {
      nitro.hooks.hook('compiled', async () => {
        await buildPgliteTemplate(join(nitro.options.output.serverDir, PGLITE_TEMPLATE_DIR), join(nuxt.options.rootDir, 'drizzle'))
      })
    })
  },
})
