// The one Chromium every browser run here uses (e2e tests, the release rehearsal's call, the
// call set-up benchmark), and the flags it needs, kept in one place so the three agree.

/** Debian's Chromium: nothing here ever downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/**
 * Flags for WebRTC runs with no display and no network: fake camera and mic, loopback ICE.
 * @type {readonly string[]}
 */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A fake camera/mic (test pattern) with permission granted, so getUserMedia just works.
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  // In the loopback-only namespace 127.0.0.1 is the only candidate; Chromium skips it otherwise.
  '--allow-loopback-in-peer-connection',
])
