export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  css: ['~/assets/style.css'],
  app: { head: { title: 'Duet call' } },
  runtimeConfig: {
    // The signaling server's port (server/plugins/duet-signaling.ts), next to Nuxt's own.
    // Set NUXT_PUBLIC_SIGNALING_PORT to move it, at run time as well.
    public: { signalingPort: 3001 },
  },
})
