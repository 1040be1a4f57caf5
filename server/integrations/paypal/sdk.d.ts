// The parts of @paypal/checkout-server-sdk 1.0.3 (and its @paypal/paypalhttp 1.0.1 base) that
// Cairn uses, typed from their sources. The package ships no types; nothing here is wider than
// what the JavaScript does.

declare module '@paypal/checkout-server-sdk' {
  namespace paypal {
    type HttpVerb = 'GET' | 'POST' | 'PATCH' | 'DELETE'

    /** What `HttpClient.execute` sends: `path` is appended to the environment's origin as is. */
    interface HttpRequest {
      path: string
      verb: HttpVerb
      headers: Record<string, string>
      /** Serialised by the encoder according to the `Content-Type` header; falsy means no body. */
      body: unknown
    }

    /** A 2xx answer; `result` is present only when the body was not empty. */
    interface HttpResponse {
      statusCode: number
      headers: Record<string, string | string[] | undefined>
      result?: unknown
    }

    /**
     * A non-2xx answer rejects with this (paypalhttp's HttpError): `message` is the response
     * body text. Transport failures and timeouts reject with plain `Error`s instead.
     */
    interface HttpError extends Error {
      statusCode: number
      headers: Record<string, string | string[] | undefined>
    }

    /** paypalhttp's Encoder: picks a serializer by `Content-Type` (JSON, text, multipart, form). */
    interface Encoder {
      serializeRequest(request: HttpRequest): string | Buffer
      /** Throws on an unknown or missing content type, and on malformed JSON. */
      deserializeResponse(body: string, headers: Record<string, string>): unknown
    }

    namespace core {
      class PayPalEnvironment {
        constructor(clientId: string, clientSecret: string, baseUrl: string, webUrl: string)
        /** Also the key of the process-wide token cache (lib/core/token_cache.js). */
        clientId: string
        clientSecret: string
        /** Only its protocol, host and port are used. */
        baseUrl: string
        webUrl: string
        /** The `Authorization` header of the OAuth2 token request. */
        authorizationString(): string
      }

      /** Adds OAuth2 (token fetch, cache, one retry on 401) to paypalhttp's HttpClient. */
      class PayPalHttpClient {
        constructor(environment: PayPalEnvironment)
        environment: PayPalEnvironment
        encoder: Encoder
        execute(request: HttpRequest): Promise<HttpResponse>
        /** The socket idle timeout in milliseconds (30 s by default). */
        getTimeout(): number
      }
    }

    /** The generated request classes' builders (each returns the request itself). */
    interface BodyRequest extends HttpRequest {
      prefer(prefer: string): this
      requestBody(body: unknown): this
    }

    interface IdempotentRequest extends BodyRequest {
      /** Sets `PayPal-Request-Id`. */
      payPalRequestId(requestId: string): this
    }

    namespace orders {
      const OrdersCreateRequest: new () => BodyRequest
      const OrdersGetRequest: new (orderId: string) => HttpRequest
      const OrdersCaptureRequest: new (orderId: string) => IdempotentRequest
    }

    namespace payments {
      const CapturesGetRequest: new (captureId: string) => HttpRequest
      const CapturesRefundRequest: new (captureId: string) => IdempotentRequest
    }
  }

  export = paypal
}
