import { cleanup, fireEvent, render, within } from '@testing-library/svelte'
import { afterEach, describe, expect, it } from 'vitest'
import MediaProbe from './fixtures/MediaProbe.svelte'
import { fakeMediaDevices } from './support/fakeMedia'

// No signaling server: a preview never connects, and these tests only need local media.
const signaling = 'http://127.0.0.1:9'

describe('useCall local media', () => {
  afterEach(() => {
    cleanup()
  })

  const preview = async () => {
    const mediaDevices = fakeMediaDevices()
    const { container, unmount } = render(MediaProbe, { props: { signaling, mediaDevices } })
    const view = within(container)
    await fireEvent.click(view.getByRole('button', { name: 'Preview' }))
    await view.findByText('media')
    const click = (name: string) => fireEvent.click(view.getByRole('button', { name }))
    return { view, unmount, mediaDevices, click }
  }

  it('should list devices and reflect mute and camera toggles in the returned refs', async () => {
    const { view, mediaDevices, click } = await preview()
    await view.findByText('Front camera, Back camera, Microphone')
    const mic = mediaDevices.tracks.find((track) => track.kind === 'audio')!

    await click('Mute microphone')
    await view.findByRole('button', { name: 'Unmute microphone' })
    expect(mic.enabled).toBe(false)
    await click('Unmute microphone')
    await view.findByRole('button', { name: 'Mute microphone' })
    expect(mic.enabled).toBe(true)

    await click('Turn camera off')
    await view.findByRole('button', { name: 'Turn camera on' })
    expect(view.getByLabelText('camera track').textContent).toBe('none')
    await click('Turn camera on')
    await view.findByRole('button', { name: 'Turn camera off' })
    expect(view.getByLabelText('camera track').textContent).toMatch(/^cam-1-/)
  })

  it('should read current values in event handlers too, not only in effects', async () => {
    const mediaDevices = fakeMediaDevices()
    const { container } = render(MediaProbe, { props: { signaling, mediaDevices } })
    const view = within(container)
    const click = (name: string) => fireEvent.click(view.getByRole('button', { name }))
    await click('Check idle')
    expect(view.getByLabelText('idle').textContent).toBe('true')
    await click('Preview')
    await view.findByText('media')
    await click('Check idle')
    expect(view.getByLabelText('idle').textContent).toBe('false')
  })

  it('should switch to another camera', async () => {
    const { view, click } = await preview()
    expect(view.getByLabelText('camera track').textContent).toMatch(/^cam-1-/)
    await click('Back camera')
    await expect.poll(() => view.getByLabelText('camera track').textContent).toMatch(/^cam-2-/)
  })

  it('should stop every track it acquired when the component unmounts', async () => {
    const { unmount, mediaDevices, click, view } = await preview()
    await click('Back camera')
    await expect.poll(() => view.getByLabelText('camera track').textContent).toMatch(/^cam-2-/)
    unmount()
    expect(mediaDevices.tracks.length).toBeGreaterThanOrEqual(3)
    expect(mediaDevices.tracks.map((track) => track.readyState)).not.toContain('live')
  })
})
