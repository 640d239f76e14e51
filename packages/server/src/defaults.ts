/** Port the server listens on when neither `port` nor `httpServer` is given. */
export const DEFAULT_PORT = 3000

/** Socket.io path the server answers on unless `path` says otherwise. */
export const DEFAULT_PATH = '/socket.io'
