import { SignJWT } from 'jose'

/** A manager-API token as an outside client would mint it (seed 004's claim shape). */
export async function signJwt(key: Buffer, claims: Record<string, unknown>, opts: { expiresInSeconds?: number; alg?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ iss: 'kubeop', ...claims })
    .setProtectedHeader({ alg: opts.alg ?? 'HS256' })
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.expiresInSeconds ?? 900))
    .sign(key)
}
