import type { Io } from './io.js'

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

/** A status line while something runs: rewritten in place on a terminal, plain lines otherwise. */
export interface Progress {
  /**
   * The current state. On a terminal the line is redrawn; otherwise a line is printed only when
   * `key` (what matters, without the ticking elapsed time) changes.
   */
  update(text: string, key?: string): void
  /** Removes the live line (a final line is printed by the caller). */
  stop(): void
}

export function createProgress(io: Io, label: () => string): Progress {
  const tty = !!io.stderr.isTTY
  let frame = 0
  let text = ''
  let printedKey: string | undefined
  let drawn = false
  const draw = () => {
    const width = Math.max(20, (io.stderr.columns ?? 80) - 1)
    // A line longer than the terminal wraps and `\r` would then only clear its last row.
    const line = `${FRAMES[frame++ % FRAMES.length]} ${label()} ${text}`.slice(0, width)
    io.stderr.write(`\r\x1b[2K${line}`)
    drawn = true
  }
  return {
    update(next, key = next) {
      text = next
      if (tty) draw()
      else if (key !== printedKey) {
        io.stderr.write(`${label()} ${next}\n`)
        printedKey = key
      }
    },
    stop() {
      if (tty && drawn) io.stderr.write('\r\x1b[2K')
      drawn = false
    },
  }
}
