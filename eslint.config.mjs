import './scripts/node20-polyfills.mjs'
import withNuxt from './.nuxt/eslint.config.mjs'

export default withNuxt(
  { ignores: ['drizzle/**', '.data/**', 'reports/**', 'tests/e2e/screenshots/**', '.output-*/**', '.nuxt-build-*/**'] },
  {
    files: ['server/domains/**/*.ts', 'server/platform/**/*.ts', 'server/integrations/**/*.ts', 'server/db/**/*.ts', 'shared/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
)
