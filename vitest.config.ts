import { defineVitestProject } from '@nuxt/test-utils/config'
import { defineConfig } from 'vitest/config'

// The components project loads Nuxt to configure itself (about 10 s): only when it can run, i.e.
// no `--project` was named or `components` was.
const named = process.argv.flatMap((arg, i, all) => (arg === '--project' ? [all[i + 1]] : arg.startsWith('--project=') ? [arg.slice('--project='.length)] : []))
const components = named.length === 0 || named.includes('components')

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        test: { name: 'services', include: ['tests/services/**/*.test.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 60_000 },
      },
      // Vue components mounted inside a Nuxt app (happy-dom), with /api answered by registerEndpoint.
      ...(components
        ? [await defineVitestProject({
            test: {
              name: 'components',
              include: ['tests/components/**/*.test.ts'],
              environment: 'nuxt',
              environmentOptions: { nuxt: { domEnvironment: 'happy-dom' } },
            },
          })]
        : []),
      {
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/api/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // The bundled companion agent as a child process against the built server and a fake RCON.
      {
        test: {
          name: 'agent',
          include: ['tests/agent/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/agent/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          // One browser at a time keeps a 2-core machine responsive.
          fileParallelism: false,
        },
      },
    ],
  },
})
