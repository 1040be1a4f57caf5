import './scripts/node20-polyfills.mjs'
import withNuxt from './.nuxt/eslint.config.mjs'

// Configuration is parsed once (server/platform/env.ts) and time comes from the Clock
// (server/platform/clock.ts), so tests can pin both and a bad variable stops start-up.
const APP_CODE = ['server/**/*.ts', 'shared/**/*.ts', 'scripts/cairn.ts', 'scripts/cli/**/*.ts']

export default withNuxt(
  { ignores: ['drizzle/**', '.data/**', 'reports/**', 'tests/e2e/screenshots/**', '.output-*/**', '.nuxt-build-*/**'] },
  {
    files: ['server/domains/**/*.ts', 'server/platform/**/*.ts', 'server/integrations/**/*.ts', 'server/db/**/*.ts', 'shared/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: APP_CODE,
    ignores: ['server/platform/env.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration from AppEnv (server/platform/env.ts).' }],
    },
  },
  {
    files: APP_CODE,
    ignores: ['server/platform/clock.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: 'NewExpression[callee.name="Date"][arguments.length=0]', message: 'Take the current time from the Clock (deps.clock.now()).' },
        { selector: 'MemberExpression[object.name="Date"][property.name="now"]', message: 'Take the current time from the Clock (deps.clock.now()).' },
      ],
    },
  },
)
