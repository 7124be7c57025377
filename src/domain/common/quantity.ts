import { Decimal } from 'decimal.js'

/** Kubernetes quantity syntax accepted in requests (spec §1.5). */
export const QUANTITY = '^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[mkMGTPE]|[eE][+-]?[0-9]+)?$'
const quantity = new RegExp(QUANTITY)

const SUFFIX: Record<string, Decimal> = {
  '': new Decimal(1),
  m: new Decimal('0.001'),
  k: new Decimal(10).pow(3),
  M: new Decimal(10).pow(6),
  G: new Decimal(10).pow(9),
  T: new Decimal(10).pow(12),
  P: new Decimal(10).pow(15),
  E: new Decimal(10).pow(18),
  Ki: new Decimal(2).pow(10),
  Mi: new Decimal(2).pow(20),
  Gi: new Decimal(2).pow(30),
  Ti: new Decimal(2).pow(40),
  Pi: new Decimal(2).pow(50),
  Ei: new Decimal(2).pow(60),
}

/** The quantity's exact value in base units (cores or bytes), or undefined if it does not parse. */
export function parseQuantity(v: string): Decimal | undefined {
  const m = quantity.exec(v)
  if (!m) return undefined
  const number = new Decimal(m[1]!.endsWith('.') ? m[1]!.slice(0, -1) : m[1]!)
  const suffix = m[3] ?? ''
  // `E` and `Ei` are exa and exbi; only an `e`/`E` followed by digits is an exponent.
  const scale = SUFFIX[suffix] ?? new Decimal(10).pow(Number(suffix.slice(1)))
  return number.times(scale)
}

export const MAX_CPU_CORES = new Decimal(10000)
export const MAX_BYTES = new Decimal(2).pow(50)
const GIB = new Decimal(2).pow(30)

/** CPU in millicores, rounded up. */
export const toMillicores = (q: Decimal): bigint => BigInt(q.times(1000).ceil().toFixed(0))
/** Memory or storage in bytes, rounded up. */
export const toBytes = (q: Decimal): bigint => BigInt(q.ceil().toFixed(0))

/** Server-computed amounts: cores or GiB, ≤ 3 decimals half up, no trailing zeros (§1.5). */
export function formatCores(millicores: bigint): string {
  return new Decimal(millicores.toString()).div(1000).toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toFixed()
}
export function formatGiB(bytes: bigint): string {
  return new Decimal(bytes.toString()).div(GIB).toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toFixed()
}
export function gibToBytes(gib: string): bigint {
  return BigInt(new Decimal(gib).times(GIB).ceil().toFixed(0))
}
export function coresToMillicores(cores: string): bigint {
  return BigInt(new Decimal(cores).times(1000).ceil().toFixed(0))
}
