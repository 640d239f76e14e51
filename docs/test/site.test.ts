import { mkdirSync, readFileSync } from 'node:fs'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/chromium.mjs'
import { type SiteServer, serveSite } from './serveSite'

const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname
// The machine page draws one diagram per ```mermaid block of the generated docs/machine.md.
const diagramCount = (
  readFileSync(new URL('../machine.md', import.meta.url), 'utf8').match(/^```mermaid$/gm) ?? []
).length

let site: SiteServer
let browser: Browser

beforeAll(async () => {
  site = await serveSite()
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
  mkdirSync(ARTIFACTS, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

/** What went wrong while a page loaded: console errors, uncaught errors, failed requests. */
interface Opened {
  page: Page
  problems: string[]
}

async function open(path: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`)
  })
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`))
  const response = await page.goto(`${site.url}${path}`, { waitUntil: 'networkidle' })
  expect(response?.status(), path).toBe(200)
  return { page, problems }
}

describe('the built docs site', () => {
  it('should render the landing page with no console error', async () => {
    const { page, problems } = await open('/')
    await expect(page.locator('.VPHero .name').textContent()).resolves.toContain('Duet')
    await expect(page.getByRole('link', { name: 'Get started' }).first().isVisible()).resolves.toBe(
      true,
    )
    await page.screenshot({ path: `${ARTIFACTS}landing.png`, fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })

  it('should render a guide with the sidebar and no console error', async () => {
    const { page, problems } = await open('/guide/group-calls')
    await expect(page.locator('.vp-doc h1').textContent()).resolves.toContain('Group calls')
    await expect(page.locator('.VPSidebar').textContent()).resolves.toContain(
      'Scaling out on Redis',
    )
    // Client-side navigation to another guide works from the built bundle.
    await page.getByRole('link', { name: 'Healing and reconnection' }).first().click()
    // The URL changes before the new page's chunk has loaded: wait for its heading.
    await page.locator('.vp-doc h1', { hasText: 'Healing and reconnection' }).waitFor()
    expect(page.url()).toMatch(/\/guide\/healing$/)
    expect(problems).toEqual([])
    await page.close()
  })

  it('should render the API reference of every entry point with no console error', async () => {
    const { page, problems } = await open('/api/')
    const text = await page.locator('.vp-doc').textContent()
    for (const entry of [
      '@duet/core',
      '@duet/core/protocol',
      '@duet/core/diagram',
      '@duet/server',
      '@duet/vue',
      '@duet/svelte',
    ]) {
      expect(text).toContain(entry)
    }
    expect(problems).toEqual([])
    await page.close()

    const createCall = await open('/api/@duet/core/functions/createCall')
    await expect(createCall.page.locator('.vp-doc h1').textContent()).resolves.toContain(
      'createCall',
    )
    await expect(createCall.page.locator('.vp-doc').textContent()).resolves.toContain('CallOptions')
    expect(createCall.problems).toEqual([])
    await createCall.page.close()
  })

  it('should draw every diagram of the machine page as an SVG', async () => {
    expect(diagramCount).toBeGreaterThan(0)
    const { page, problems } = await open('/machine')
    const drawn = page.locator('.mermaid-diagram[data-rendered="true"] svg')
    await page.waitForFunction(
      (count) =>
        document.querySelectorAll('.mermaid-diagram[data-rendered="true"] svg').length === count,
      diagramCount,
      // mermaid lays the call machine out in seconds, many more on a busy 2-core machine.
      { timeout: 90_000 },
    )
    await expect(drawn.count()).resolves.toBe(diagramCount)
    // A state of the call machine is drawn as a label in the first diagram.
    await expect(drawn.first().textContent()).resolves.toContain('connected')
    await drawn.first().scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${ARTIFACTS}machine.png` })
    // Fitted to the column by default; "Full size" shows the diagram at its own width.
    const fitted = (await drawn.first().boundingBox())?.width ?? 0
    await page.getByRole('button', { name: 'Full size' }).first().click()
    await page.getByRole('button', { name: 'Fit to width' }).first().waitFor()
    expect((await drawn.first().boundingBox())?.width ?? 0).toBeGreaterThan(fitted)
    expect(problems).toEqual([])
    await page.close()
  })
})
