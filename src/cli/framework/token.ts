/** The API key id inside a raw key (`kupe_<hex8>_…` → `ak-<hex8>`, spec §2.1), or undefined. */
export function keyIdOf(token: string): string | undefined {
  const m = /^kupe_([0-9a-f]{8})_/.exec(token)
  return m ? `ak-${m[1]}` : undefined
}
