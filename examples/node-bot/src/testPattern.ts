/** An I420 frame as wrtc's `RTCVideoSource.onFrame` takes it: Y plane, then U, then V. */
export interface I420Frame {
  width: number
  height: number
  data: Uint8Array
}

type Yuv = readonly [y: number, u: number, v: number]

// BT.601 studio range, the colour space a VP8/H.264 encoder expects from I420.
function yuv(r: number, g: number, b: number): Yuv {
  return [
    Math.round(0.257 * r + 0.504 * g + 0.098 * b + 16),
    Math.round(-0.148 * r - 0.291 * g + 0.439 * b + 128),
    Math.round(0.439 * r - 0.368 * g - 0.071 * b + 128),
  ]
}

// The classic colour bars: white, yellow, cyan, green, magenta, red, blue, black.
const BARS: readonly Yuv[] = [
  yuv(235, 235, 235),
  yuv(235, 235, 16),
  yuv(16, 235, 235),
  yuv(16, 235, 16),
  yuv(235, 16, 235),
  yuv(235, 16, 16),
  yuv(16, 16, 235),
  yuv(16, 16, 16),
]
const BOX = yuv(255, 255, 255)

/** A black I420 frame of even dimensions (chroma is subsampled 2×2). */
export function createI420Frame(width: number, height: number): I420Frame {
  if (width % 2 !== 0 || height % 2 !== 0) throw new RangeError('I420 needs even dimensions')
  return { width, height, data: new Uint8Array((width * height * 3) / 2) }
}

/**
 * Draws frame number `tick` of the test pattern: colour bars scrolling left and a white square
 * bouncing across them. Motion matters: an encoder sends almost nothing for a still image,
 * and a moving picture shows at a glance that frames keep arriving.
 */
export function drawTestPattern(frame: I420Frame, tick: number): void {
  const { width, height, data } = frame
  const chromaWidth = width / 2
  const chromaHeight = height / 2
  const yPlane = data.subarray(0, width * height)
  const uPlane = data.subarray(width * height, width * height + chromaWidth * chromaHeight)
  const vPlane = data.subarray(width * height + chromaWidth * chromaHeight)

  // Every row of the bars is the same: draw one, copy it down.
  const shift = (tick * 4) % width
  const barOf = (x: number) => BARS[Math.floor((((x + shift) % width) * BARS.length) / width)]!
  const yRow = new Uint8Array(width)
  for (let x = 0; x < width; x++) yRow[x] = barOf(x)[0]
  const uRow = new Uint8Array(chromaWidth)
  const vRow = new Uint8Array(chromaWidth)
  for (let x = 0; x < chromaWidth; x++) {
    const [, u, v] = barOf(x * 2)
    uRow[x] = u
    vRow[x] = v
  }
  for (let y = 0; y < height; y++) yPlane.set(yRow, y * width)
  for (let y = 0; y < chromaHeight; y++) {
    uPlane.set(uRow, y * chromaWidth)
    vPlane.set(vRow, y * chromaWidth)
  }

  // The square bounces horizontally and vertically; even coordinates keep it chroma-aligned.
  const size = Math.floor(height / 4 / 2) * 2
  const bounce = (span: number, speed: number) => {
    const period = 2 * span
    const at = (tick * speed) % period
    return Math.floor((at < span ? at : period - at) / 2) * 2
  }
  const left = bounce(width - size, 6)
  const top = bounce(height - size, 4)
  for (let y = top; y < top + size; y++)
    yPlane.fill(BOX[0], y * width + left, y * width + left + size)
  for (let y = top / 2; y < (top + size) / 2; y++) {
    const start = y * chromaWidth + left / 2
    uPlane.fill(BOX[1], start, start + size / 2)
    vPlane.fill(BOX[2], start, start + size / 2)
  }
}
