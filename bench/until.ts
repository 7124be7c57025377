// Shared by every benchmark: wait for a condition without fixed sleeps.

/** Polls `check` every `everyMs` until it returns a value. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 180_000, everyMs = 50): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    try {
      const v = await check()
      if (v !== undefined) return v
    } catch {
      // not there yet
    }
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
