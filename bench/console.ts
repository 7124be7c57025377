// `npm run bench:console`: the web console's first-load budget (issue 13). Against a local
// server (PGlite in memory, simulated provider) in Debian's Chromium, BENCH_LOADS cold loads
// (default 7, a fresh browser context each, so no cache):
//   - compressed JS of the first load: bytes on the wire of every script the sign-in page loads
//     (budget 300 KB), with the encoding the server chose;
//   - time to interactive: from navigation start until the sign-in form is rendered and its
//     button enabled (budget 1 s), p50 and max;
//   - signed in: from submitting an API key until the clusters list is on screen.
// Baseline in the same run: loading /healthz (one tiny JSON response) the same way, the floor of
// a navigation on this machine. Exits 1 when a budget is exceeded.
import { launchChromium } from '../test/helpers/browser.js'
import { startTestServer } from '../test/helpers/server.js'

const LOADS = Number(process.env.BENCH_LOADS ?? 7)
const JS_BUDGET = 300 * 1024
const TTI_BUDGET_MS = 1000

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
const ms = (x: number): string => `${x.toFixed(0)} ms`

const s = await startTestServer()
const browser = await launchChromium()
try {
  const { key } = await s.createTenant('bench')
  await s.request('POST', '/api/v1/tenants/bench/clusters', { token: key, body: { name: 'web' } })

  const baseline: number[] = []
  const tti: number[] = []
  const signedIn: number[] = []
  let jsBytes = 0
  const encodings = new Set<string>()
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext()
    const page = await context.newPage()
    const t0 = performance.now()
    await page.goto(`${s.url}/healthz`)
    baseline.push(performance.now() - t0)

    const scripts: Array<Promise<number>> = []
    page.on('response', (r) => {
      if (r.request().resourceType() !== 'script') return
      encodings.add(r.headers()['content-encoding'] ?? 'identity')
      scripts.push(r.request().sizes().then((z) => z.responseBodySize))
    })
    const t1 = performance.now()
    await page.goto(`${s.url}/clusters`, { waitUntil: 'commit' })
    await page.getByRole('button', { name: 'Sign in with API key' }).and(page.locator(':enabled')).waitFor()
    tti.push(performance.now() - t1)
    jsBytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0)

    await page.getByLabel('Tenant').fill('bench')
    await page.getByLabel('API key').fill(key)
    const t2 = performance.now()
    await page.getByRole('button', { name: 'Sign in with API key' }).click()
    await page.getByRole('link', { name: 'web' }).waitFor()
    signedIn.push(performance.now() - t2)
    await context.close()
  }

  const p50 = median(tti)
  const okJs = jsBytes <= JS_BUDGET
  const okTti = p50 <= TTI_BUDGET_MS
  process.stdout.write([
    `console first load over ${LOADS} cold loads (server local, Chromium headless)`,
    `  compressed JS        ${(jsBytes / 1024).toFixed(1)} KB (${[...encodings].join(', ')}); budget 300 KB: ${okJs ? 'ok' : 'OVER'}`,
    `  time to interactive  p50 ${ms(p50)}, max ${ms(Math.max(...tti))}; budget 1000 ms: ${okTti ? 'ok' : 'OVER'}`,
    `  sign-in to clusters  p50 ${ms(median(signedIn))}, max ${ms(Math.max(...signedIn))}`,
    `  baseline /healthz    p50 ${ms(median(baseline))}; time to interactive = ${(p50 / median(baseline)).toFixed(1)}x baseline`,
    '',
  ].join('\n'))
  if (!okJs || !okTti) process.exitCode = 1
} finally {
  await browser.close()
  await s.stop()
}
