import type { AnyHttpServer } from './serverTypes'

/** Listens on `port` and `host`; rejects on a listen error such as `EADDRINUSE`. */
export function listen(
  httpServer: AnyHttpServer,
  port: number,
  host: string | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      httpServer.off('listening', onListening)
      reject(error)
    }
    const onListening = (): void => {
      httpServer.off('error', onError)
      resolve()
    }
    httpServer.once('error', onError)
    httpServer.once('listening', onListening)
    httpServer.listen(port, host)
  })
}

/**
 * For a server the caller owns: waits for it to listen, but leaves its 'error' events to the
 * caller (a listener here would swallow errors that should crash their process).
 */
export function listening(httpServer: AnyHttpServer): Promise<void> {
  if (httpServer.listening) return Promise.resolve()
  return new Promise((resolve) => httpServer.once('listening', () => resolve()))
}
