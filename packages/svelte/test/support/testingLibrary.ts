import type { Interaction, Mounted, Phase } from '@duet/test-kit/contract'
import { cleanup, fireEvent, within } from '@testing-library/svelte'

/** Where `useCall` may run, in this binding's words. */
export const phase: Phase = { outside: 'component initialisation', during: 'during initialisation' }

/** Clicks through @testing-library/svelte, which resolves after Svelte's next tick. */
export const interaction: Interaction = {
  click: (element) => fireEvent.click(element),
  cleanup,
}

/** What `render()` returned, as the shared suites take a mounted fixture. */
export function mounted<Props>(rendered: {
  container: HTMLElement
  unmount(): void
  rerender(props: Props): Promise<void>
}): Mounted<Props> {
  const { container, unmount, rerender } = rendered
  return { view: within(container), unmount, rerender }
}
