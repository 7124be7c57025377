import type { Controller } from './controller.js'

/** Every controller the server runs, listed rather than discovered. */
export const controllers: Controller[] = []
