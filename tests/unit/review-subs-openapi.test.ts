import { describe, expect, it } from 'vitest'
import { moduleOperations } from '../../server/http/openapi/modules'
import { openApiDocument, registerOperations } from '../../server/http/openapi/registry'
import { subscriptionOperations } from '../../server/http/openapi/subscriptions'

// The document against the code: cancel and the platform webhook answer 503 when PayPal is
// unreachable (Unavailable), and every documented error answers the shared error shape.

type Responses = Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>

describe('OpenAPI: subscription 503s and the error shape of documented errors', () => {
  registerOperations(subscriptionOperations)
  registerOperations(moduleOperations)
  const doc = openApiDocument({ serverUrl: 'https://panel.example.com' }) as { paths: Record<string, Record<string, { responses: Responses }>> }
  const responses = (method: string, path: string): Responses => doc.paths[path]![method]!.responses

  it('documents 503 on cancel and on the platform webhook', () => {
    expect(Object.keys(responses('post', '/api/webstore/subscription/cancel'))).toContain('503')
    expect(Object.keys(responses('post', '/api/webstore/subscription/webhook'))).toContain('503')
  })

  it('gives explicitly described errors (install 404/409, subscription 409/503) the Error schema', () => {
    const error = { $ref: '#/components/schemas/Error' }
    const install = responses('post', '/api/modules/install')
    for (const status of ['404', '409', '400']) expect(install[status]?.content?.['application/json']?.schema, status).toEqual(error)
    expect(responses('post', '/api/webstore/subscription/create')['409']?.content?.['application/json']?.schema).toEqual(error)
    expect(responses('post', '/api/webstore/subscription/webhook')['503']?.content?.['application/json']?.schema).toEqual(error)
    // Success bodies keep their own schemas.
    expect(install['202']?.content?.['application/json']?.schema).not.toEqual(error)
  })
})
