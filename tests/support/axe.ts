import { createRequire } from 'node:module'
import type { AxeResults } from 'axe-core'
import type { Page } from 'playwright'

// axe-core run inside a page (inject it as a script: open the page with `bypassCSP: true`).

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core')

export interface Violation {
  rule: string
  impact: string | null | undefined
  nodes: string[]
}

/** Every rule axe runs by default (WCAG 2.x A/AA and best practices, colour contrast included). */
export async function axeViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: AXE_SOURCE })
  const results = await page.evaluate(() => (window as unknown as { axe: { run: (context: Document) => Promise<AxeResults> } }).axe.run(document))
  return results.violations.map(v => ({
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.map(n => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
  }))
}
