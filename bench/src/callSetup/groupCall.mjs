// A group call (#16) timed like the 1:1 call: N tabs of Duet join one after another, each once
// the one before is in the room; the clock starts at the last join. *Connected* is when every
// tab has every other one `connected` (so every pair of the mesh is up), *first frame* when
// every tab presented its first remote frame. Same browser and servers as the 1:1 targets.

/** Time allowed for a group call to come up; a mesh of four does more work than a pair. */
const GROUP_CALL_TIMEOUT_MS = 30_000

/** One group call of `target.peers` tabs; the result has the fields a 1:1 call's has. */
export async function oneGroupCall(browser, target, ports, index, instrument) {
  const context = await browser.newContext()
  try {
    await context.addInitScript(instrument)
    const room = `${target.name}-${index}-${Date.now().toString(36)}`
    const others = target.peers - 1
    const url = (role) =>
      `http://127.0.0.1:${ports.duet}/duet.html?room=${room}&role=${role}&join=auto&peers=${others}`
    const until = (page, names) =>
      page
        .evaluate((wanted) => window.__bench.until(wanted), names)
        .then((error) => {
          if (error) throw new Error(`${target.name}: ${error}`)
        })
    const pages = []
    const call = (async () => {
      for (let i = 0; i < target.peers; i++) {
        const page = await context.newPage()
        pages.push(page)
        await page.goto(url(`p${i}`))
        // Every tab but the last is in the room before the next one opens.
        if (i < target.peers - 1) await until(page, ['joinAck'])
      }
      await Promise.all(pages.map((page) => until(page, ['mesh:connected', 'firstFrame'])))
    })()
    call.catch(() => {})
    const timeout = new Promise((_, reject) =>
      setTimeout(
        () => reject(new Error(`${target.name}: no mesh after ${GROUP_CALL_TIMEOUT_MS} ms`)),
        GROUP_CALL_TIMEOUT_MS,
      ),
    )
    await Promise.race([call, timeout])
    const sides = await Promise.all(
      pages.map((page) =>
        page.evaluate(async () => ({
          marks: window.__bench.marks,
          frames: await window.__bench.framesDecoded(),
        })),
      ),
    )
    const t0 = sides.at(-1).marks.join
    const last = (name) => Math.max(...sides.map((side) => side.marks[name])) - t0
    const relative = (side) =>
      Object.fromEntries(
        Object.entries(side.marks).map(([name, at]) => [name, name.endsWith(':ms') ? at : at - t0]),
      )
    return {
      ok: sides.every((side) => side.frames > 0),
      connected: last('mesh:connected'),
      firstFrame: last('firstFrame'),
      pageToFrame: null,
      // The first tab in the room and the last joiner, as the 1:1 timeline shows A and B.
      phases: { a: relative(sides[0]), b: relative(sides.at(-1)) },
    }
  } catch (error) {
    return { ok: false, error: String(error?.message ?? error) }
  } finally {
    await context.close()
  }
}
