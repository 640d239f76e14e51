// Within this many pixels of the bottom counts as "reading the latest".
const SLACK_PX = 24

/**
 * Keeps a growing list scrolled to its newest item while the reader is at the bottom, and
 * leaves it alone while they scroll back through history. Returns the cleanup.
 */
export function followTail(list: HTMLElement): () => void {
  let pinned = true
  const onScroll = () => {
    pinned = list.scrollHeight - list.scrollTop - list.clientHeight <= SLACK_PX
  }
  const toTail = () => {
    if (pinned) list.scrollTop = list.scrollHeight
  }
  const added = new MutationObserver(toTail)
  // A hidden list cannot scroll: catch up when it is shown again (its size changes then).
  const shown = new ResizeObserver(toTail)
  list.addEventListener('scroll', onScroll, { passive: true })
  added.observe(list, { childList: true, subtree: true })
  shown.observe(list)
  toTail()
  return () => {
    added.disconnect()
    shown.disconnect()
    list.removeEventListener('scroll', onScroll)
  }
}
