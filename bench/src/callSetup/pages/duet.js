// Duet as the demo uses it: createCall + connectCall, media first (startPreview), then join().
// `variant` switches options off, to size what they bring to the set-up:
//   cold: `warmUp: false`, no connection or offer made ahead of the join;
//   nodata: no data channels (`dataChannel: false`).
import { connectCall, createCall } from '@duet/core'
import { bench, params, room, run, show } from './common.js'

const variant = new Set((params.get('variant') ?? '').split(',').filter(Boolean))
// In a group call (#16), how many others this tab waits for before its mesh is complete.
const others = Number(params.get('peers') ?? 1)
let call
bench.statuses = []

run({
  async prepare() {
    call = createCall({
      signaling: location.origin,
      roomId: room,
      ...(variant.has('cold') ? { warmUp: false } : {}),
      ...(variant.has('nodata') ? { dataChannel: false } : {}),
    })
    const media = new Promise((resolve) => {
      call.subscribe((snapshot) => {
        const api = connectCall(snapshot, call.send)
        // Every status the call went through, for the healing bench (did it ever say failed?).
        if (bench.statuses.at(-1) !== api.status) bench.statuses.push(api.status)
        if (api.localStream) resolve()
        if (api.peerId) bench.mark('joinAck')
        if (api.remoteStream) show(api.remoteStream)
        if (api.isConnected) bench.mark('appConnected')
        const up = api.peers.filter((peer) => peer.status === 'connected')
        if (up.length >= others) bench.mark('mesh:connected')
        if (api.error) bench.fail(`${api.error.code}: ${api.error.message}`)
      })
    })
    call.start()
    connectCall(call.getSnapshot(), call.send).startPreview()
    await media
  },
  join: () => connectCall(call.getSnapshot(), call.send).join(),
})
