import { describe, expect, it } from 'vitest'
import { moduleOperations } from '../../server/http/openapi/modules'
import { openApiDocument, registerOperations } from '../../server/http/openapi/registry'
import { subscriptionOperations } from '../../server/http/openapi/subscriptions'

// The modules and subscription rows of API.md appear in the OpenAPI document with their codes.

describe('OpenAPI: modules and webstore subscription', () => {
  it('documents every path with its status codes and the owner session', () => {
    registerOperations(subscriptionOperations)
    registerOperations(moduleOperations)
    const doc = openApiDocument({ serverUrl: 'https://panel.example.com' }) as { paths: Record<string, Record<string, { responses: Record<string, unknown>, security?: unknown[], requestBody?: unknown }>> }
    expect(Object.keys(doc.paths['/api/modules/install']!.post!.responses)).toEqual(expect.arrayContaining(['200', '202', '400', '401', '404', '409']))
    expect(doc.paths['/api/modules/install']!.post!.requestBody).toBeDefined()
    expect(doc.paths['/api/modules']!.get!.security).toEqual([{ userSession: [] }])
    expect(doc.paths['/api/modules/installs/{id}']!.get).toBeDefined()
    expect(Object.keys(doc.paths['/api/webstore/subscription/create']!.post!.responses)).toEqual(expect.arrayContaining(['201', '409', '503']))
    expect(Object.keys(doc.paths['/api/webstore/subscription/cancel']!.post!.responses)).toEqual(expect.arrayContaining(['200', '409']))
    expect(doc.paths['/api/webstore/subscription']!.get).toBeDefined()
    const webhook = doc.paths['/api/webstore/subscription/webhook']!.post!
    expect(webhook.security).toBeUndefined()
    expect(Object.keys(webhook.responses)).toEqual(expect.arrayContaining(['200', '400']))
  })
})
