import type { Interaction, Mounted, Phase } from '@duet/test-kit/contract'
import { cleanup, fireEvent, within } from '@testing-library/vue'

/** Where `useCall` may run, in this binding's words. */
export const phase: Phase = { outside: 'a component setup', during: 'in setup' }

/** Clicks through @testing-library/vue, which resolves after Vue's next tick. */
export const interaction: Interaction = {
  click: (element) => fireEvent.click(element),
  cleanup,
}

/** What `render()` returned, as the shared suites take a mounted fixture. */
export function mounted<Props>(rendered: {
  container: Element
  unmount(): void
  rerender(props: Props): Promise<void>
}): Mounted<Props> {
  const { container, unmount, rerender } = rendered
  return { view: within(container as HTMLElement), unmount, rerender }
}
