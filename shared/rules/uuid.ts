// One UUID rule for the server, the panel and the storefront.

/** Any 8-4-4-4-12 hex id, either case (route ids, tokens' claims, player UUIDs before normalising). */
export const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value)
}
