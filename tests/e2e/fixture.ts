import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright'
import { afterAll, afterEach, beforeAll, describe, inject } from 'vitest'
import { launchBrowser, screenshot, VIEWPORTS } from '../support/browser'

// The one browser fixture of the e2e tests: Debian's Chromium launched once per file (flags in
// tests/support/browser.ts), a fresh context per page at a viewport, closed after each test, and
// signing in through the real login form.

export type Viewport = { width: number, height: number }

export interface Credentials {
  email: string
  password: string
}

/** The owner SEED_DEMO creates (the e2e server runs with it). */
export const DEMO_OWNER: Credentials = { email: 'demo@cairn.local', password: 'cairn-demo-2026' }

export interface BrowserFixture {
  /** The file's browser, launched before its first test. */
  readonly browser: Browser
  /** A page in a new context at `viewport` (desktop by default); the context closes after the test. */
  page(viewport?: Viewport, options?: BrowserContextOptions): Promise<Page>
  /** A new page signed in as `who` through the login form, waiting at `next`. */
  signedIn(who: Credentials, next?: string, viewport?: Viewport, options?: BrowserContextOptions): Promise<Page>
  /** Uncaught errors of a page made here since it opened, and its console errors unless `console: false`. */
  errors(page: Page, which?: { console?: boolean }): string[]
}

interface ErrorLog {
  thrown: string[]
  console: string[]
}

/**
 * A `describe` block with a browser of its own, skipped where the e2e stack could not start (the
 * reason is printed once by the global setup) or when `skip` says so.
 */
export function describeInBrowser(name: string, body: (browser: BrowserFixture) => void, { skip = false } = {}): void {
  describe.skipIf(skip || inject('skipReason') !== '')(name, () => body(useBrowser()))
}

/** Call inside a `describe`: its hooks launch and close the browser for that block only. */
export function useBrowser(): BrowserFixture {
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  const logs = new WeakMap<Page, ErrorLog>()
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map(context => context.close()))
  })
  afterAll(async () => {
    await browser?.close()
  })
  const fixture: BrowserFixture = {
    get browser() {
      if (!browser) throw new Error('the browser is launched in beforeAll: use it inside a test')
      return browser
    },
    async page(viewport = VIEWPORTS.desktop, options = {}) {
      const context = await fixture.browser.newContext({ ...options, viewport })
      contexts.push(context)
      const page = await context.newPage()
      const log: ErrorLog = { thrown: [], console: [] }
      page.on('pageerror', error => log.thrown.push(error.message))
      page.on('console', (msg) => {
        if (msg.type() === 'error') log.console.push(msg.text())
      })
      logs.set(page, log)
      return page
    },
    async signedIn(who, next = '/admin', viewport, options) {
      const page = await fixture.page(viewport, options)
      await signIn(page, who, next)
      return page
    },
    errors(page, { console = true } = {}) {
      const log = logs.get(page)
      if (!log) throw new Error('errors() knows only pages opened by this fixture')
      return console ? [...log.thrown, ...log.console] : [...log.thrown]
    },
  }
  return fixture
}

/** Signs in through the login page and waits until the panel shows `next`. */
export async function signIn(page: Page, who: Credentials, next = '/admin'): Promise<void> {
  await page.goto(`${inject('baseUrl')}/login?next=${encodeURIComponent(next)}`)
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(url => url.pathname === next)
}

/** The browser's own lines for the API's deliberate 4xx answers are expected; anything else is not. */
export function unexpectedErrors(errors: string[], expected = /Failed to load resource|status of 40\d/): string[] {
  return errors.filter(e => !expected.test(e))
}

/** Screenshots `<name>-1280` and `<name>-390`, leaving the page at the desktop viewport. */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}-1280`)
  await page.setViewportSize(VIEWPORTS.mobile)
  await screenshot(page, `${name}-390`)
  await page.setViewportSize(VIEWPORTS.desktop)
}
