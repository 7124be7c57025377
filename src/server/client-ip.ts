import { isIPv6 } from 'node:net'

/**
 * Client IP for rate limits (spec §4.1): the TCP peer, or — only when the peer is a trusted
 * proxy — the right-most X-Forwarded-For address that is not a trusted proxy. IPv6 is grouped by /64.
 */
export function clientIp(peer: string, forwardedFor: string | string[] | undefined, trusted: string[]): string {
  let ip = normalise(peer)
  if (trusted.includes(ip) && forwardedFor) {
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
      .split(',')
      .map((s) => normalise(s.trim()))
      .filter(Boolean)
    for (let i = hops.length - 1; i >= 0; i--) {
      ip = hops[i]!
      if (!trusted.includes(ip)) break
    }
  }
  return group(ip)
}

function normalise(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip
}

function group(ip: string): string {
  // Most peers are IPv4: skip the (regex) IPv6 check for them.
  if (!ip.includes(':') || !isIPv6(ip)) return ip
  const [head = '', tail = ''] = ip.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const full = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return `${full.slice(0, 4).map((h) => h.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`
}
