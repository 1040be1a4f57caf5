import { BlockList, isIP } from 'node:net'

/**
 * Which peers' X-Forwarded-* headers we believe: `loopback`, addresses and CIDRs (TRUST_PROXY,
 * checked when the environment is parsed). None: trust nobody, the socket address is the client.
 */
export function parseTrustProxy(entries: readonly string[]): BlockList | undefined {
  if (entries.length === 0) return undefined
  const list = new BlockList()
  for (const raw of entries) {
    if (raw === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4')
      list.addAddress('::1', 'ipv6')
      continue
    }
    const [addr, bits] = raw.split('/')
    const family = addr && isIP(addr) === 6 ? 'ipv6' : 'ipv4'
    if (!addr || !isIP(addr)) throw new Error(`TRUST_PROXY: "${raw}" is not an address or CIDR`)
    if (bits === undefined) list.addAddress(addr, family)
    else list.addSubnet(addr, Number(bits), family)
  }
  return list
}

function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address
}

export function isTrusted(list: BlockList | undefined, address: string): boolean {
  if (!list) return false
  const a = normalize(address)
  const family = isIP(a) === 6 ? 'ipv6' : isIP(a) === 4 ? 'ipv4' : undefined
  return family ? list.check(a, family) : false
}

/** The client address: walk X-Forwarded-For from the right while hops are trusted proxies. */
export function clientAddress(list: BlockList | undefined, socketAddress: string, forwardedFor: string | undefined): string {
  let current = normalize(socketAddress)
  if (!list || !forwardedFor || !isTrusted(list, current)) return current
  const hops = forwardedFor.split(',').map(s => normalize(s.trim())).filter(Boolean)
  while (hops.length > 0 && isTrusted(list, current)) {
    const next = hops.pop()!
    if (!isIP(next)) break
    current = next
  }
  return current
}
