// What every bench page shares: its parameters, the probe installed before it, the remote
// video element, and the prepare → join sequence the harness times.
export const params = new URLSearchParams(location.search)
export const bench = window.__bench
export const room = params.get('room')
export const role = params.get('role')

/** Shows the remote stream and has the probe time its first frame. */
export function show(stream) {
  const video = document.getElementById('remote')
  if (video.srcObject === stream) return
  video.srcObject = stream
  bench.watchVideo(video)
}

/**
 * Prepares (media, and whatever the target sets up before a join), then joins: at once with
 * `join=auto`, else when the harness calls `scheduleJoin(at)` (both pages at once, for glare).
 */
export async function run({ prepare, join }) {
  const doJoin = () => {
    bench.mark('join')
    Promise.resolve(join()).catch((error) => bench.fail(`join: ${error}`))
  }
  try {
    await prepare()
    bench.mark('ready')
    if (params.get('join') === 'auto') doJoin()
    else bench.scheduleJoin = (at) => setTimeout(doJoin, Math.max(0, at - bench.now()))
  } catch (error) {
    bench.fail(`prepare: ${error}`)
  }
}
