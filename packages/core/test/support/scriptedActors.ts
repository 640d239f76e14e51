import { fromCallback } from 'xstate'
import type { CallEvent } from '../../src'
import type { SignalingCommand, SignalingSessionInput } from '../../src/call/call.actors'
import type { PeerCommand, PeerInput } from '../../src/peer/peer.types'

/** A signaling session the test drives by hand: it records what the call sends and lets the test answer. */
export function scriptedSignaling() {
  const sent: SignalingCommand[] = []
  const joins: string[] = []
  let reply: ((event: CallEvent) => void) | null = null
  let opened = 0
  let closed = 0
  const logic = fromCallback<SignalingCommand, SignalingSessionInput, CallEvent>(
    ({ sendBack, receive }) => {
      opened += 1
      reply = sendBack
      receive((command) => {
        if (command.type === 'SIGNALING.JOIN') joins.push(command.roomId)
        else sent.push(command)
      })
      return () => {
        closed += 1
      }
    },
  )
  return {
    logic,
    sent,
    joins,
    openedCount: () => opened,
    closedCount: () => closed,
    answer(event: CallEvent) {
      if (!reply) throw new Error('signaling was never opened')
      reply(event)
    },
  }
}

/** Negotiation actors the test drives by hand, one per peer id. */
export function scriptedPeers() {
  const inputs = new Map<string, PeerInput>()
  const received = new Map<string, PeerCommand[]>()
  const stopped: string[] = []
  const report = new Map<string, (event: CallEvent) => void>()
  const logic = fromCallback<PeerCommand, PeerInput, CallEvent>(({ input, sendBack, receive }) => {
    inputs.set(input.peerId, input)
    received.set(input.peerId, [])
    report.set(input.peerId, sendBack)
    receive((command) => received.get(input.peerId)?.push(command))
    return () => stopped.push(input.peerId)
  })
  return {
    logic,
    inputs,
    received,
    stopped,
    say(peerId: string, event: CallEvent) {
      const send = report.get(peerId)
      if (!send) throw new Error(`no negotiation with ${peerId}`)
      send(event)
    },
  }
}
