// Which HTTP methods the app's routes answer for a path, from Nitro's route table. Lets the API
// answer a wrong method with 405 + Allow (instead of falling through to the page renderer's 404)
// and serve HEAD wherever GET exists. Pure: no h3 imports.

export interface RouteEntry {
  route: string
  method?: string
  middleware: boolean
}

interface Compiled {
  pattern: RegExp
  /** Upper-case method, or undefined for a handler that takes every method. */
  method: string | undefined
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** `/api/host/licenses/:license_id` → one segment per `:param`; `**` (or `**:name`) matches the rest. */
export function routePattern(route: string): RegExp {
  const segments = route.replace(/\/+$/, '').split('/').slice(1)
  let source = ''
  for (const segment of segments) {
    if (segment.startsWith('**')) return new RegExp(`^${source}(?:/.*)?$`)
    source += segment.startsWith(':') ? '/[^/]+' : `/${escapeRegExp(segment)}`
  }
  return new RegExp(`^${source}$`)
}

export class RouteMethods {
  private readonly routes: Compiled[]

  /** Only `prefix` routes are considered; the page renderer's catch-all is never one of them. */
  constructor(entries: readonly RouteEntry[], prefix = '/api/') {
    this.routes = entries
      .filter(e => !e.middleware && e.route.startsWith(prefix))
      .map(e => ({ pattern: routePattern(e.route), method: e.method?.toUpperCase() }))
  }

  /**
   * The methods served at `path` (HEAD added wherever GET is), `'any'` when a handler takes every
   * method, or an empty list when no route matches (a plain 404).
   */
  allowed(path: string): string[] | 'any' {
    const pathname = (path.split('?')[0] ?? '').replace(/\/+$/, '') || '/'
    const methods = new Set<string>()
    for (const route of this.routes) {
      if (!route.pattern.test(pathname)) continue
      if (!route.method) return 'any'
      methods.add(route.method)
    }
    if (methods.has('GET')) methods.add('HEAD')
    return [...methods].sort()
  }
}
