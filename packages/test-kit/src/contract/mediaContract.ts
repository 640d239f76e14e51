import { afterEach, describe, expect, it } from 'vitest'
import { fakeMediaDevices } from '../fakeMedia'
import type { Interaction, MediaProbeProps, Mounted } from './adapter'

/** What {@link mediaContract} needs from a binding. */
export interface MediaAdapter extends Interaction {
  /** Mounts the binding's `MediaProbe` fixture. */
  mount(props: MediaProbeProps): Mounted<MediaProbeProps>
}

// No signaling server: a preview never connects, and these tests only need local media.
const signaling = 'http://127.0.0.1:9'

/** `useCall`'s local media (devices, mute, camera, device switch) on a fake `mediaDevices`. */
export function mediaContract(adapter: MediaAdapter): void {
  describe('useCall local media', () => {
    afterEach(() => {
      adapter.cleanup()
    })

    const mount = () => {
      const mediaDevices = fakeMediaDevices()
      const { view, unmount } = adapter.mount({ signaling, mediaDevices })
      const click = (name: string) => adapter.click(view.getByRole('button', { name }))
      return { view, unmount, mediaDevices, click }
    }

    const preview = async () => {
      const mounted = mount()
      await mounted.click('Preview')
      await mounted.view.findByText('media')
      return mounted
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
      const { view, click } = mount()
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
}
