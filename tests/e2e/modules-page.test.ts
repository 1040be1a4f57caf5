import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { startAgentSim, type AgentSim } from '../support/agent-sim'
import { createAccount, serverDb } from '../support/fixtures'
import { publishTestModules } from '../support/modules'
import { describeInBrowser, screenshotBoth } from './fixture'

// The modules page in Chromium: catalog cards, install buttons and the live status as the
// reference agent (scripts/agent-sim.ts) receives installs over NATS and acks them.

const natsUrl = inject('natsUrl')

describeInBrowser('modules page (Chromium)', (browser) => {
  let agent: AgentSim | undefined
  beforeAll(async () => {
    await publishTestModules((await serverDb()).db)
  })
  afterAll(async () => {
    await agent?.stop()
  })

  it('installs a module and follows it live to installed; a failing install shows the agent\'s reason', async () => {
    const owner = await createAccount(1, 'mod-page')
    const [license, companionToken] = [owner.licenses[0]!, owner.companionTokens[0]!]
    const page = await browser.signedIn(owner, '/admin/modules')

    const backups = page.getByTestId('module-backups')
    await backups.waitFor()
    expect(await page.getByTestId('module-catalog').locator('article').count()).toBeGreaterThanOrEqual(3)
    expect(await page.getByTestId('module-webstore').textContent()).toContain('Webstore')
    expect(await backups.getByTestId('install-status').getAttribute('data-status')).toBe('none')
    await screenshotBoth(page, 'modules-catalog')

    // Keyboard: focus the install button and press Enter. No agent yet: the install waits.
    await page.getByTestId('install-backups').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => backups.getByTestId('install-status').getAttribute('data-status')).toMatch(/queued|sent/)
    expect(await page.getByTestId('install-backups').isDisabled()).toBe(true)
    await screenshotBoth(page, 'modules-installing')

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
    await screenshotBoth(page, 'modules-result')

    expect(browser.errors(page, { console: false })).toEqual([])
  })
})
