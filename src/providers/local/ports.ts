import { createServer } from 'node:net'

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no free port'))))
    })
  })
}

/** `n` distinct free ports, none of them in `taken`. */
export async function freePorts(n: number, taken: Array<number | undefined>): Promise<number[]> {
  const ports: number[] = []
  while (ports.length < n) {
    const port = await freePort()
    if (!ports.includes(port) && !taken.includes(port)) ports.push(port)
  }
  return ports
}
