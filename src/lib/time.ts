/** RFC 3339, UTC, whole seconds (spec §1.5). */
export function toRfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

/** Parses any RFC 3339 offset; fractional seconds are truncated (spec §1.5). */
export function parseRfc3339(value: string): Date | undefined {
  const m = RFC3339.exec(value)
  if (!m) return undefined
  const [, y, mo, d, h, mi, s, , tz] = m
  const month = Number(mo)
  const day = Number(d)
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined
  const normalised = `${y}-${mo}-${d}T${h}:${mi}:${s}${tz === 'z' ? 'Z' : tz}`
  const t = Date.parse(normalised)
  if (Number.isNaN(t)) return undefined
  return new Date(Math.floor(t / 1000) * 1000)
}

export function truncateToSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000)
}
