// PeerJS as its README uses it: each side registers an id with the PeerJS server; the second
// one calls the first with its stream, the first answers with its own.
import { Peer } from 'peerjs'
import { bench, params, role, room, run, show } from './common.js'

let peer
let localStream

run({
  async prepare() {
    peer = new Peer(`${room}-${role}`, {
      host: location.hostname,
      port: Number(params.get('peerPort')),
      path: '/',
      // No STUN/TURN for anyone in the bench: PeerJS's default list points at public servers.
      config: { iceServers: [] },
    })
    peer.on('error', (error) => bench.fail(`peerjs: ${error.type}`))
    peer.on('call', (call) => {
      call.on('stream', show)
      call.answer(localStream)
    })
    const open = new Promise((resolve) => peer.once('open', resolve))
    localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true })
    await open
    bench.mark('joinAck')
  },
  join() {
    // The first side is "in" once registered; the second one calls it.
    if (role === 'b') peer.call(`${room}-a`, localStream).on('stream', show)
  },
})
