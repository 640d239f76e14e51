/**
 * Installed in every page before its own scripts (Playwright's addInitScript), the same for all
 * targets: it timestamps each phase of call set-up from the browser's own RTCPeerConnection
 * events and calls, so no library needs hooks of its own. Self-contained: it is serialized.
 * Times are wall-clock milliseconds (`performance.timeOrigin + performance.now()`), comparable
 * between the two pages of a call.
 */
export function instrument() {
  const now = () => performance.timeOrigin + performance.now()
  const marks = {}
  const pcs = []
  const errors = []
  const waiters = []
  const settle = () => {
    for (const waiter of [...waiters]) {
      if (errors.length > 0 || waiter.names.every((name) => name in marks)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(errors.length > 0 ? errors.join('; ') : null)
      }
    }
  }
  /** First time of each named phase (later repeats are ignored). */
  const mark = (name, at = now()) => {
    if (name in marks) return
    marks[name] = at
    settle()
  }
  window.__bench = {
    marks,
    pcs,
    errors,
    mark,
    now,
    fail: (message) => {
      errors.push(message)
      settle()
    },
    /** Resolves once every named phase happened (null), or with the page's errors. */
    until: (names) =>
      new Promise((resolve) => {
        waiters.push({ names, resolve })
        settle()
      }),
    /** Set by the page: joins at a wall-clock time (both pages at once, for glare). */
    scheduleJoin: null,
  }

  const Native = window.RTCPeerConnection
  const proto = Native.prototype
  // Phases of every description call: the first offer made, the remote answer applied, etc.
  for (const method of [
    'createOffer',
    'createAnswer',
    'setLocalDescription',
    'setRemoteDescription',
  ]) {
    const original = proto[method]
    proto[method] = function (...args) {
      const kind = () =>
        method.startsWith('set')
          ? `${method}:${args[0]?.type ?? (method === 'setLocalDescription' ? this.localDescription?.type : 'none')}`
          : method
      mark(`${kind()}:start`)
      const result = original.apply(this, args)
      Promise.resolve(result).then(
        () => mark(`${kind()}:done`),
        () => {},
      )
      return result
    }
  }
  // Track and channel set-up calls are synchronous in Chromium (they wait on its WebRTC
  // thread): their total time, and when the task that created the connection let go.
  marks['setupCalls:ms'] = 0
  for (const method of ['addTrack', 'addTransceiver', 'createDataChannel']) {
    const original = proto[method]
    proto[method] = function (...args) {
      const started = now()
      try {
        return original.apply(this, args)
      } finally {
        marks['setupCalls:ms'] += now() - started
      }
    }
  }
  const addIceCandidate = proto.addIceCandidate
  proto.addIceCandidate = function (...args) {
    if (args[0]?.candidate) mark('addIceCandidate:start')
    const result = addIceCandidate.apply(this, args)
    result.then(
      () => mark('addIceCandidate:done'),
      () => {},
    )
    return result
  }

  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      mark('pcCreate:start')
      super(...args)
      mark('pcCreate:done')
      queueMicrotask(() => mark('pcCreate:taskEnd'))
      pcs.push(this)
      this.addEventListener('negotiationneeded', () => mark('negotiationneeded'))
      this.addEventListener('icecandidate', ({ candidate }) => {
        if (candidate?.candidate) mark('localCandidate')
        else mark('gatheringComplete')
      })
      this.addEventListener('iceconnectionstatechange', () => {
        mark(`ice:${this.iceConnectionState}`)
        watchDtls(this)
      })
      this.addEventListener('connectionstatechange', () => mark(`pc:${this.connectionState}`))
      this.addEventListener('track', () => mark('track'))
    }
  }
  // The senders as the page makes them. Asked for while ICE checks ran, `getSenders()` held the
  // measured page's main thread for tens of ms in a trace (a wrapper made for each sender),
  // right on the way to `connected`: the harness must not tax what it measures.
  for (const method of ['addTrack', 'addTransceiver']) {
    const original = proto[method]
    proto[method] = function (...args) {
      const made = original.apply(this, args)
      this.__senders ??= []
      this.__senders.push(method === 'addTrack' ? made : made.sender)
      return made
    }
  }
  // The DTLS transport exists once a description is set; hook its state the first time ICE moves.
  // With BUNDLE every sender shares it (and the marks keep the first time anyway): one is enough.
  function watchDtls(pc) {
    if (pc.__dtlsWatched) return
    const transport =
      (pc.__senders ?? []).map((sender) => sender.transport).find(Boolean) ??
      pc.sctp?.transport ??
      pc
        .getSenders()
        .map((sender) => sender.transport)
        .find(Boolean)
    if (!transport) return
    pc.__dtlsWatched = true
    transport.addEventListener('statechange', () => mark(`dtls:${transport.state}`))
  }

  // Signaling traffic, whatever the library: when the first offer, answer and candidate went
  // out on, or came in from, a WebSocket. All three targets send JSON text with these fields.
  // The join request and its answer are found the same way: Duet's `room:join` and its ack
  // (with a resume token), the tutorial's "create or join" and "created"/"joined", PeerJS's OPEN.
  const signalOf = (data, incoming) => {
    if (typeof data !== 'string') return null
    const description = /"type":"(offer|answer)"/.exec(data)
    if (description) return description[1]
    if (data.includes('candidate:')) return 'candidate'
    const join = incoming
      ? /resumeToken|"(created|joined)"|"type":"OPEN"/
      : /"(room:join|create or join)"/
    return join.test(data) ? 'join' : null
  }
  const NativeSocket = window.WebSocket
  window.WebSocket = class extends NativeSocket {
    constructor(...args) {
      mark('ws:start')
      super(...args)
      this.addEventListener('open', () => mark('ws:open'))
      this.addEventListener('message', ({ data }) => {
        const signal = signalOf(data, true)
        if (signal) mark(`ws:${signal}:in`)
      })
    }
    send(data) {
      const signal = signalOf(data, false)
      if (signal) mark(`ws:${signal}:out`)
      return super.send(data)
    }
  }

  // A page in the background renders late (if at all): a run where one was hidden says so.
  document.addEventListener('visibilitychange', () =>
    mark(`visibility:${document.visibilityState}`),
  )

  /** Marks the first decoded frame of the remote video (and keeps watching the element). */
  window.__bench.watchVideo = (video) => {
    if (video.__watched) return
    video.__watched = true
    video.requestVideoFrameCallback((_, metadata) =>
      mark('firstFrame', performance.timeOrigin + metadata.presentationTime),
    )
    // Autoplay of muted video is allowed; play() makes sure a paused element renders too.
    video.play().catch(() => {})
  }

  /** Frames decoded so far over the inbound video of every connection (getStats). */
  const framesDecodedNow = async () => {
    let total = 0
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue
      for (const report of (await pc.getStats()).values()) {
        if (report.type === 'inbound-rtp' && report.kind === 'video')
          total += report.framesDecoded ?? 0
      }
    }
    return total
  }
  // Asked right after the first frame showed: Chromium answers getStats from a report cached
  // for 50 ms, which the page's own stats polling may have taken just before that frame.
  window.__bench.framesDecoded = async () => {
    for (let attempt = 0; ; attempt++) {
      const total = await framesDecodedNow()
      if (total > 0 || attempt >= 10) return total
      await new Promise((resolve) => setTimeout(resolve, 60))
    }
  }
}
