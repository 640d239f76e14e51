import type { Evaluates } from './browser'

// The demo's controls driven through the DOM, the same way in Chromium (Playwright) and in
// Firefox (Puppeteer over WebDriver BiDi), whose locator APIs differ.

/** Polls a page-side condition until it holds. */
export async function until(
  tab: Evaluates,
  check: (arg: string) => boolean,
  arg: string,
  what: string,
  timeout = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeout
  while (!(await tab.evaluate(check, arg))) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeout} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const enabledButton = (name: string) =>
  [...document.querySelectorAll('button')].some(
    (button) => button.textContent?.trim() === name && !button.disabled,
  )

/** Waits until an enabled button with this visible name is there (a toggle flipped, a control appeared). */
export function waitForButton(tab: Evaluates, name: string, timeout = 10_000): Promise<void> {
  return until(tab, enabledButton, name, `an enabled "${name}" button`, timeout)
}

/** Clicks the button with this visible name once it is there and enabled. */
export async function clickButton(tab: Evaluates, name: string): Promise<void> {
  await waitForButton(tab, name)
  await tab.evaluate((wanted) => {
    const button = [...document.querySelectorAll('button')].find(
      (candidate) => candidate.textContent?.trim() === wanted && !candidate.disabled,
    )
    button?.click()
  }, name)
}
