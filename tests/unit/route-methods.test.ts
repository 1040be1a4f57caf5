import { describe, expect, it } from 'vitest'
import { RouteMethods, routePattern } from '../../server/http/route-methods'

const table = new RouteMethods([
  { route: '/api/webstore/items', method: 'get', middleware: false },
  { route: '/api/webstore/items', method: 'post', middleware: false },
  { route: '/api/webstore/items/:id', method: 'put', middleware: false },
  { route: '/api/webstore/items/:id', method: 'delete', middleware: false },
  { route: '/api/files/**', method: undefined, middleware: false },
  { route: '/api/everything', method: undefined, middleware: false },
  { route: '', method: undefined, middleware: true },
  { route: '/**', method: undefined, middleware: false },
])

describe('RouteMethods', () => {
  it('lists the methods of a path, HEAD wherever GET is', () => {
    expect(table.allowed('/api/webstore/items')).toEqual(['GET', 'HEAD', 'POST'])
    expect(table.allowed('/api/webstore/items/?x=1')).toEqual(['GET', 'HEAD', 'POST'])
    expect(table.allowed('/api/webstore/items/abc')).toEqual(['DELETE', 'PUT'])
  })

  it('says any for catch-all handlers and nothing for unknown paths (the renderer does not count)', () => {
    expect(table.allowed('/api/files/a/b')).toBe('any')
    expect(table.allowed('/api/everything')).toBe('any')
    expect(table.allowed('/api/webstore/items/a/b')).toEqual([])
    expect(table.allowed('/api/nothing')).toEqual([])
  })

  it('compiles params to one segment and escapes literals', () => {
    expect(routePattern('/api/a.b/:id').test('/api/a.b/x')).toBe(true)
    expect(routePattern('/api/a.b/:id').test('/api/aXb/x')).toBe(false)
    expect(routePattern('/api/a/:id').test('/api/a/x/y')).toBe(false)
    expect(routePattern('/api/a/**:rest').test('/api/a')).toBe(true)
  })
})
