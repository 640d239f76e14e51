// Duet as the demo uses it: createCall + connectCall, media first (startPreview), then join().
// `variant` switches on prototypes of set-up changes, all built from the public API:
//   preconnect: the signaling socket opens at page load, not at join (a transport factory);
//   cert: a certificate generated ahead (RTCPeerConnection.generateCertificate) for every
//     connection, through `platform.RTCPeerConnection`;
//   eager: the offerer offers as soon as its connection is set up, without waiting for the
//     browser's `negotiationneeded` task (the handler core installs is called in a microtask);
//   prebuilt: the RTCPeerConnection is constructed before the join (a spare the platform's
//     constructor hands out), so building it is off the path from join ack to offer;
//   nodata: no data channels (`dataChannel: false`), to size what they add to the set-up.
import { connectCall, createCall, createSocketSignaling } from '@duet/core'
import { bench, params, room, run, show } from './common.js'

const variant = new Set((params.get('variant') ?? '').split(',').filter(Boolean))
let call

async function prototypePlatform() {
  const certificate = variant.has('cert')
    ? await RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' })
    : null
  const Native = window.RTCPeerConnection
  class Eager extends Native {
    get onnegotiationneeded() {
      return super.onnegotiationneeded
    }
    set onnegotiationneeded(handler) {
      super.onnegotiationneeded = handler
      if (handler && variant.has('eager'))
        queueMicrotask(() => handler(new Event('negotiationneeded')))
    }
  }
  const create = (config) =>
    new Eager(certificate ? { ...config, certificates: [certificate] } : config)
  let spare = variant.has('prebuilt') ? create({}) : null
  // Core calls `new platform.RTCPeerConnection(config)`: a function returning an object is
  // what `new` gives back, so it can hand out the spare connection made ahead.
  function SpareFirst(config = {}) {
    if (!spare) return create(config)
    const pc = spare
    spare = null
    pc.setConfiguration({ ...pc.getConfiguration(), iceServers: config.iceServers ?? [] })
    return pc
  }
  return { RTCPeerConnection: SpareFirst, mediaDevices: navigator.mediaDevices, MediaStream }
}

run({
  async prepare() {
    let signaling = location.origin
    if (variant.has('preconnect')) {
      const transport = createSocketSignaling(location.origin)
      signaling = () => transport
    }
    const platform = variant.size > 0 ? await prototypePlatform() : undefined
    call = createCall({
      signaling,
      roomId: room,
      ...(platform ? { platform } : {}),
      ...(variant.has('nodata') ? { dataChannel: false } : {}),
    })
    const media = new Promise((resolve) => {
      call.subscribe((snapshot) => {
        const api = connectCall(snapshot, call.send)
        if (api.localStream) resolve()
        if (api.peerId) bench.mark('joinAck')
        if (api.remoteStream) show(api.remoteStream)
        if (api.isConnected) bench.mark('appConnected')
        if (api.error) bench.fail(`${api.error.code}: ${api.error.message}`)
      })
    })
    call.start()
    connectCall(call.getSnapshot(), call.send).startPreview()
    await media
  },
  join: () => connectCall(call.getSnapshot(), call.send).join(),
})
