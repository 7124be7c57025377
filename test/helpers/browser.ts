import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import axe from 'axe-core'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

/**
 * Debian's Chromium driven by playwright-core (no browser download): `apt-get install chromium`,
 * which .ci/run does. KUPE_TEST_CHROMIUM overrides the path.
 */
export const CHROMIUM = process.env.KUPE_TEST_CHROMIUM ?? '/usr/bin/chromium'
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true })
}

/** Where the end-to-end tests keep their screenshots (the README names it; CI keeps it as an artifact). */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'console')

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}


interface AxeViolation { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }

/**
 * axe-core on the page as it is: no serious or critical violation of WCAG 2.x A/AA. The engine
 * is evaluated through the DevTools protocol, so the page's CSP (no inline scripts) stays on.
 */
export async function assertAccessible(page: Page, view: string): Promise<void> {
  await page.evaluate(axe.source)
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }))
  })
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.deepEqual(bad.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${view}`)
}

/** A new page of `context` at `url`, whose CSP violations (as Chromium logs them) go into `cspViolations`. */
export async function openPage(context: BrowserContext, url: string, cspViolations: string[]): Promise<Page> {
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()) })
  await page.goto(url)
  return page
}

/** The console's API-key sign-in form, filled and sent. */
export async function signInWithKey(page: Page, tenant: string, key: string): Promise<void> {
  await page.getByLabel('Tenant').fill(tenant)
  await page.getByLabel('API key').fill(key)
  await page.getByRole('button', { name: 'Sign in with API key' }).click()
}
