// The classic tutorial client (the WebRTC codelab's flow, on today's APIs): "create or join" a
// room; the room's creator starts the call when the joiner says "got user media"; every
// offer, answer and candidate is a "message" the server relays to the room.
import { io } from 'socket.io-client'
import { bench, room, run, show } from './common.js'

const socket = io()
let isInitiator = false
let isChannelReady = false
let isStarted = false
let localStream = null
let pc = null

const sendMessage = (message) => socket.emit('message', message)

socket.on('created', () => {
  isInitiator = true
  bench.mark('joinAck')
})
socket.on('join', () => {
  isChannelReady = true
})
socket.on('joined', () => {
  isChannelReady = true
  bench.mark('joinAck')
  sendMessage('got user media')
})
socket.on('full', () => bench.fail('room full'))

socket.on('message', async (message) => {
  if (message === 'got user media') {
    maybeStart()
  } else if (message.type === 'offer') {
    if (!isInitiator && !isStarted) maybeStart()
    await pc.setRemoteDescription(message)
    await pc.setLocalDescription(await pc.createAnswer())
    sendMessage(pc.localDescription.toJSON())
  } else if (message.type === 'answer' && isStarted) {
    await pc.setRemoteDescription(message)
  } else if (message.type === 'candidate' && isStarted) {
    await pc.addIceCandidate({ sdpMLineIndex: message.label, candidate: message.candidate })
  }
})

function maybeStart() {
  if (isStarted || !localStream || !isChannelReady) return
  pc = new RTCPeerConnection()
  pc.onicecandidate = ({ candidate }) => {
    if (candidate) {
      sendMessage({
        type: 'candidate',
        label: candidate.sdpMLineIndex,
        id: candidate.sdpMid,
        candidate: candidate.candidate,
      })
    }
  }
  pc.ontrack = ({ streams }) => show(streams[0])
  for (const track of localStream.getTracks()) pc.addTrack(track, localStream)
  isStarted = true
  if (isInitiator) doCall()
}

async function doCall() {
  await pc.setLocalDescription(await pc.createOffer())
  sendMessage(pc.localDescription.toJSON())
}

run({
  async prepare() {
    const connected = socket.connected
      ? Promise.resolve()
      : new Promise((resolve) => socket.once('connect', resolve))
    localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true })
    await connected
  },
  join: () => socket.emit('create or join', room),
})
