import { randomBytes } from 'node:crypto'
import { route, type FakeRoute } from './http'

/** POST /v1/oauth2/token: client credentials grant with HTTP Basic auth, like PayPal. */
export const authRoutes: FakeRoute[] = [
  route('POST', /^\/v1\/oauth2\/token$/, (req) => {
    req.state.stats.tokenRequests++
    const match = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : ''
    const split = decoded.indexOf(':')
    const clientId = split > 0 ? decoded.slice(0, split) : ''
    const secret = split > 0 ? decoded.slice(split + 1) : ''
    const app = req.state.apps.get(clientId)
    const grant = (req.body as { grant_type?: string } | undefined)?.grant_type
    if (!app || app.clientSecret !== secret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client Authentication failed' } }
    }
    if (grant !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } }
    const token = `A21AA${randomBytes(24).toString('base64url')}`
    req.state.tokens.set(token, clientId)
    return { status: 200, body: { scope: 'https://uri.paypal.com/services/payments', access_token: token, token_type: 'Bearer', app_id: `APP-${clientId.slice(0, 8)}`, expires_in: 32400, nonce: randomBytes(8).toString('hex') } }
  }),
]
