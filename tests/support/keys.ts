import { deriveAppKeys } from '../../server/platform/app-secret'

/** The APP_SECRET every test server runs with, so tests can open sealed values and sign tokens. */
export const TEST_APP_SECRET = 'test-app-secret-0123456789-abcdefghijklmnopqrstuvwxyz'
export const testKeys = deriveAppKeys(TEST_APP_SECRET)
