import { fromCallback } from 'xstate'
import type { CallEvent, NetworkEvents, PageEvents, PageEventType, WakeEvent } from './call.types'

/** Input of {@link pageWake}. */
export interface PageWakeInput {
  page: PageEvents | undefined
  network: NetworkEvents | undefined
}

// What each page event means to the call. `resume` follows a frozen page (a locked phone, a tab
// in the background); `pageshow` a page restored from the back/forward cache. A page that is
// only hidden keeps running, and its socket reconnects by itself.
const PAGE_EVENTS: [PageEventType, WakeEvent][] = [
  ['resume', { type: 'PAGE.RESUMED' }],
  ['pageshow', { type: 'PAGE.RESUMED' }],
  ['online', { type: 'NETWORK.ONLINE' }],
  ['offline', { type: 'NETWORK.OFFLINE' }],
]

/**
 * Tells the call when the page wakes up or the network comes back or changes, so it heals at
 * once: Socket.io would otherwise wait out its reconnection backoff, and ICE its restart backoff
 * or the seconds it takes to notice a path is gone. Listens through the injected platform, so
 * Node and tests give it their own.
 */
export const pageWake = fromCallback<{ type: 'never' }, PageWakeInput, CallEvent>(
  ({ input, sendBack }) => {
    const { page, network } = input
    const listeners = PAGE_EVENTS.map(([type, event]) => ({
      type,
      listener: () => sendBack(event),
      // `resume` is fired at the document and does not bubble: the window sees it while capturing.
      capture: type === 'resume',
    }))
    for (const { type, listener, capture } of listeners) {
      page?.addEventListener(type, listener, capture)
    }
    const changed = () => sendBack({ type: 'NETWORK.CHANGED' })
    network?.addEventListener('change', changed)
    return () => {
      for (const { type, listener, capture } of listeners) {
        page?.removeEventListener(type, listener, capture)
      }
      network?.removeEventListener('change', changed)
    }
  },
)
