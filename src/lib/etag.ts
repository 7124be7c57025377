/** ETag = the resourceVersion in double quotes (spec §1.6). */
export function etagOf(resourceVersion: string): string {
  return `"${resourceVersion}"`
}

/**
 * Whether an If-Match / If-None-Match header matches the current resourceVersion.
 * Accepted forms: "123", 123, W/"123", *, or a comma-separated list of these.
 */
export function etagMatches(header: string, resourceVersion: string): boolean {
  return header.split(',').some((raw) => {
    let v = raw.trim()
    if (v === '*') return true
    if (v.startsWith('W/')) v = v.slice(2)
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1)
    return v === resourceVersion
  })
}
