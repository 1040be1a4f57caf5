/** Names a storefront may never take: they collide with infrastructure or mislead players. */
export const RESERVED_SUBDOMAINS = new Set([
  'www', 'api', 'admin', 'app', 'panel', 'mail', 'smtp', 'ftp', 'ns1', 'ns2', 'store', 'shop', 'static',
  'assets', 'cdn', 'cairn', 'status', 'docs', 'help', 'support', 'billing', 'login', 'auth', 'localhost',
])

const MAX_BASE = 55 // leaves room for a "-NNNNNN" suffix within the 63-char DNS label limit

/** A DNS label from free text: lower-case a-z0-9 and single hyphens, no leading/trailing hyphen. */
export function slugifyLabel(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/[\u0300-\u036F]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_BASE)
    .replace(/-+$/g, '')
}

/** Base subdomain from the hostname when it has letters (not a bare IP), else the email's local part. */
export function subdomainBase(hostname: string | null | undefined, email: string): string {
  const fromHost = hostname && /[a-z]/i.test(hostname) && !hostname.includes(':') ? slugifyLabel(hostname) : ''
  const base = fromHost || slugifyLabel(email.split('@')[0] ?? '') || 'server'
  const safe = /^[0-9-]+$/.test(base) ? `server-${base}` : base
  return RESERVED_SUBDOMAINS.has(safe) ? `${safe}-server` : safe
}

/** Given the taken names that share `base`, the first free one: base, base-2, base-3, ... */
export function firstFreeSubdomain(base: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  if (!used.has(base)) return base
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`
    if (!used.has(candidate)) return candidate
  }
}

export const SUBDOMAIN_RE = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
