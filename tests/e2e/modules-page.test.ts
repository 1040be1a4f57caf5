import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createLicense } from '../../server/domains/licenses/licenses'
import { createUser } from '../../server/domains/auth/users'
import { startAgentSim, type AgentSim } from '../support/agent-sim'
import { launchBrowser, screenshot, VIEWPORTS } from '../support/browser'
import { serverDb, uniqueEmail } from '../support/fixtures'
import { testKeys } from '../support/keys'
import { signInThroughUi } from '../support/webstore-e2e'

// The modules page in Chromium: catalog cards, install buttons and the live status as the
// reference agent (scripts/agent-sim.ts) receives installs over NATS and acks them.

const skip = inject('skipReason')
const natsUrl = inject('natsUrl')

async function both(page: Page, name: string) {
  await screenshot(page, `${name}-1280`)
  await page.setViewportSize(VIEWPORTS.mobile)
  await screenshot(page, `${name}-390`)
  await page.setViewportSize(VIEWPORTS.desktop)
}

describe.skipIf(skip !== '')('modules page (Chromium)', () => {
  let browser: Browser
  let agent: AgentSim | undefined
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await agent?.stop()
    await browser?.close()
  })

  it('installs a module and follows it live to installed; a failing install shows the agent\'s reason', async () => {
    const { db } = await serverDb()
    const email = uniqueEmail('mod-page')
    const user = await createUser(db, { email, password: 'correct horse battery' })
    const { license, companionToken } = await createLicense(db, testKeys.seal, { userId: user.id, email, hostname: 'mc.modules.example.net' })
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', error => errors.push(error.message))

    await signInThroughUi(page, email, 'correct horse battery', '/admin/modules')
    const backups = page.getByTestId('module-backups')
    await backups.waitFor()
    expect(await page.getByTestId('module-catalog').locator('article').count()).toBeGreaterThanOrEqual(3)
    expect(await page.getByTestId('module-webstore').textContent()).toContain('Webstore')
    expect(await backups.getByTestId('install-status').getAttribute('data-status')).toBe('none')
    await both(page, 'modules-catalog')

    // Keyboard: focus the install button and press Enter. No agent yet: the install waits.
    await page.getByTestId('install-backups').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => backups.getByTestId('install-status').getAttribute('data-status')).toMatch(/queued|sent/)
    expect(await page.getByTestId('install-backups').isDisabled()).toBe(true)
    await both(page, 'modules-installing')

    // The server's agent comes online; the card follows the install to "installed" by itself.
    agent = startAgentSim(['--license-id', license.id, '--token', companionToken, '--url', inject('baseUrl'), '--fail', 'discord-bridge', '--fail-detail', 'Discord token missing in config.yml', '--poll', '0.5',
      ...(natsUrl ? ['--nats', natsUrl] : ['--no-nats'])])
    await expect.poll(() => backups.getByTestId('install-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('installed')
    expect(await backups.getByTestId('installed-version').textContent()).toBe('2.4.1')
    expect(await page.getByTestId('install-backups').textContent()).toContain('Installed')
    const received = await agent.waitFor(e => e.event === 'received' && e.kind === 'module_install')
    if (natsUrl) expect(received.transport).toBe('nats')

    // An older version can be chosen; the failing module shows why it failed.
    const bridge = page.getByTestId('module-discord-bridge')
    await bridge.getByLabel('Version').selectOption('0.8.5')
    expect(await page.getByTestId('install-discord-bridge').textContent()).toContain('Install 0.8.5')
    await page.getByTestId('install-discord-bridge').click()
    await expect.poll(() => bridge.getByTestId('install-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('failed')
    expect(await bridge.getByTestId('install-detail').textContent()).toContain('Discord token missing in config.yml')
    expect(await page.getByTestId('install-discord-bridge').textContent()).toContain('Retry install')
    await both(page, 'modules-result')

    expect(errors).toEqual([])
    await context.close()
  })
})
