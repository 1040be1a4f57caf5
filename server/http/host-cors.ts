/** Whether `path` belongs to the host API (`/api/host` and below, any query string). */
export function isHostApiPath(path: string): boolean {
  const bare = path.split('?')[0] ?? ''
  return bare === '/api/host' || bare.startsWith('/api/host/')
}

/**
 * The CORS headers for a host API response. Only an Origin listed exactly in
 * HOST_API_CORS_ORIGINS gets any; the key travels in Authorization, so no credentials mode.
 */
export function hostCorsHeaders(allowed: readonly string[], origin: string | undefined, preflight: boolean): Record<string, string> {
  const headers: Record<string, string> = { Vary: 'Origin' }
  if (!origin || !allowed.includes(origin)) return headers
  headers['Access-Control-Allow-Origin'] = origin
  headers['Access-Control-Expose-Headers'] = 'Content-Disposition, Retry-After, X-Request-Id'
  if (preflight) {
    headers['Access-Control-Allow-Methods'] = 'GET, POST, PATCH, DELETE, OPTIONS'
    headers['Access-Control-Allow-Headers'] = 'Authorization, Content-Type, Accept, X-Request-Id'
    headers['Access-Control-Max-Age'] = '600'
  }
  return headers
}
