import withNuxt from './.nuxt/eslint.config.mjs'

export default withNuxt(
  { ignores: ['drizzle/**', '.data/**', 'reports/**', 'tests/e2e/screenshots/**'] },
  {
    files: ['server/services/**/*.ts', 'server/db/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
)
