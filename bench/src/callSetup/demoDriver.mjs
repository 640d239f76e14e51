/**
 * Installed in the demo's pages after the probe (Playwright's addInitScript), it uses the room
 * page as a person does: it has Join clicked as soon as the button is there and enabled (or,
 * with `settleMs`, that long after, once the preview has settled), and it gives the page the
 * same marks the core page sets itself, read from what the page shows: `joinEnabled`, `join`
 * (the click reaching the page), `ready` (the camera preview shows), `joinAck` (the page says it
 * is in the room), `appConnected` (its status reads `connected`), and the first frame of the
 * remote video. The click itself is a real mouse click by the harness (`__benchClick`, an
 * exposed binding): a script's click() is no user gesture, and without one the browser refuses
 * to autoplay the remote video with its sound, as it would for nobody who really clicked.
 * Self-contained: it is serialized.
 */
export function driveDemo({ settleMs }) {
  const bench = window.__bench
  let clicked = false
  const byText = (text) =>
    [...document.querySelectorAll('button')].find((button) => button.textContent.trim() === text)
  // Capture phase: before the app's own handler, as the click arrives.
  document.addEventListener(
    'click',
    (event) => {
      if (event.isTrusted && event.target === byText('Join')) bench.mark('join')
    },
    true,
  )

  // The harness must not tax the page it measures: each look only searches for what it has not
  // seen yet, and the observer goes once everything has been seen (it used to cost the page
  // about 50 ms of main thread during a set-up).
  const seen = (name) => name in bench.marks
  const look = () => {
    const join = clicked ? null : byText('Join')
    if (join && !join.disabled && !clicked) {
      bench.mark('joinEnabled')
      clicked = true
      const click = () => {
        // Found again: the framework may have replaced the element meanwhile.
        const box = (byText('Join') ?? join).getBoundingClientRect()
        window.__benchClick(box.x + box.width / 2, box.y + box.height / 2)
      }
      if (settleMs > 0) setTimeout(click, settleMs)
      else click()
    }
    if (!seen('ready') && document.querySelector('[data-testid="local-video"]')) bench.mark('ready')
    if (!seen('joinAck') && byText('Hang up')) bench.mark('joinAck')
    if (
      !seen('appConnected') &&
      document.querySelector('[data-testid="call-status"]')?.textContent === 'connected'
    ) {
      bench.mark('appConnected')
    }
    if (!seen('firstFrame')) {
      const remote = document.querySelector('video[data-testid="remote-video"]')
      if (remote) bench.watchVideo(remote)
    }
    const all = ['ready', 'joinAck', 'appConnected', 'firstFrame']
    if (clicked && all.every(seen)) observer.disconnect()
  }
  const observer = new MutationObserver(look)
  observer.observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['disabled', 'data-testid'],
  })
}
