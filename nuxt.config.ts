import { cp } from 'node:fs/promises'
import { buildAgent } from './scripts/build-agent.mjs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

const rootDir = fileURLToPath(new URL('.', import.meta.url))
// Lets several builds of one checkout run side by side (e.g. parallel test runs): `.output-<x>`.
const outputDir = process.env.CAIRN_OUTPUT_DIR

export default defineNuxtConfig({
  compatibilityDate: '2026-11-01',
  devtools: { enabled: false },
  telemetry: false,
  modules: ['@nuxtjs/tailwindcss', '@nuxt/eslint'],
  typescript: { strict: true, typeCheck: false },
  app: {
    head: {
      htmlAttrs: { lang: 'en' },
      title: 'Cairn',
      meta: [{ name: 'viewport', content: 'width=device-width, initial-scale=1' }],
    },
  },
  features: { inlineStyles: false },
  experimental: {
    payloadExtraction: false,
    // No route rules act in the browser, so the client need not fetch the build manifest (nor carry
    // the code that does): less JavaScript on every page, the storefront's included.
    appManifest: false,
  },
  vite: {
    // Terser packs the browser's chunks about 5% tighter than esbuild (the entry chunk: 71.7 -> 68.1 kB
    // gzip); terser comes with nitropack. Server chunks stay unminified.
    $client: { build: { minify: 'terser', terserOptions: { module: true, compress: { passes: 2 } } } },
  },
  $production: {
    vite: {
      // Every component here is `<script setup>`: dropping Vue's Options API support trims the
      // runtime that every page, the storefront's first, loads.
      define: { __VUE_OPTIONS_API__: 'false' },
    },
  },
  ...(outputDir ? { buildDir: join(rootDir, `.nuxt-build-${outputDir.replace(/\W/g, '_')}`) } : {}),
  nitro: {
    // Route handlers auto-import the HTTP edge's guards and helpers (server/http replaces server/utils).
    imports: { dirs: [join(rootDir, 'server/http/*.ts')] },
    ...(outputDir ? { output: { dir: join(rootDir, outputDir) } } : {}),
    // The built server reads its migrations from .output/server/drizzle (see server/db/migrate.ts).
    hooks: {
      async compiled(nitro) {
        await cp(join(rootDir, 'drizzle'), join(nitro.options.output.serverDir, 'drizzle'), { recursive: true })
        // The demo seed publishes a module from this folder (server/domains/demo/module.ts).
        await cp(join(rootDir, 'server/domains/demo/files'), join(nitro.options.output.serverDir, 'demo-files'), { recursive: true })
      },
    },
  },
  hooks: {
    // The companion agent, bundled to public/downloads/cairn-agent.mjs: served by dev and built servers alike.
    async 'build:before'() {
      await buildAgent()
    },
    // Our JSON error shape for /api/** runs before Nuxt's HTML error page handler.
    'nitro:config'(config) {
      const existing = [config.errorHandler].flat().filter((h): h is string => typeof h === 'string')
      config.errorHandler = [join(rootDir, 'server/http/error-handler.ts'), ...existing] as unknown as string
    },
  },
  eslint: { config: { stylistic: false } },
})
