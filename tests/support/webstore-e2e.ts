import type { Page } from 'playwright-core'
import { inject } from 'vitest'
import type { License, User } from '../../server/db/schema'
import { createLicense } from '../../server/domains/licenses/licenses'
import { createUser } from '../../server/domains/auth/users'
import { serverDb, uniqueEmail } from './fixtures'
import { testKeys } from './keys'

export interface BrowserOwner {
  user: User
  license: License
  email: string
  password: string
}

/** A fresh owner with one license, written straight into the e2e server's database (sign in through the UI). */
export async function createBrowserOwner(tag = 'e2e'): Promise<BrowserOwner> {
  const { db } = await serverDb()
  const email = uniqueEmail(tag)
  const password = 'correct horse battery'
  const user = await createUser(db, { email, password })
  const { license } = await createLicense(db, testKeys.seal, { userId: user.id, email, hostname: `mc.${tag}.example.net` })
  return { user, license, email, password }
}

/** Signs in through the login page and waits for the panel. */
export async function signInThroughUi(page: Page, email: string, password: string, next = '/admin'): Promise<void> {
  await page.goto(`${inject('baseUrl')}/login?next=${encodeURIComponent(next)}`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(url => url.pathname === next)
}
