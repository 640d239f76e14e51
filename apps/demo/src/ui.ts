/** The UIs of the demo, picked by `?ui=`: the same room, rendered by each binding. */
export const UIS = ['vue', 'svelte'] as const

/** One of {@link UIS}. */
export type Ui = (typeof UIS)[number]

/** The UI the URL asks for; Vue by default. */
export function currentUi(search = window.location.search): Ui {
  const ui = new URLSearchParams(search).get('ui')
  return UIS.find((candidate) => candidate === ui) ?? 'vue'
}

/** This page rendered by another UI (same room, same other query parameters). */
export function uiHref(ui: Ui, location: Location = window.location): string {
  const params = new URLSearchParams(location.search)
  if (ui === 'vue') params.delete('ui')
  else params.set('ui', ui)
  const query = params.toString()
  return `${location.pathname}${query ? `?${query}` : ''}`
}

/** The link to a fresh room in the current UI. */
export function newRoomHref(search = window.location.search): string {
  const ui = currentUi(search)
  return ui === 'vue' ? '/' : `/?ui=${ui}`
}

/**
 * `?lifecycle`: a dev-only control that unmounts and remounts the room component, so the
 * e2e test can check that a binding releases every track and connection on unmount.
 */
export function lifecycleHarness(search = window.location.search): boolean {
  return new URLSearchParams(search).has('lifecycle')
}
