// The slice of @paypal/checkout-server-sdk (untyped CommonJS) that the payments module uses.
declare module '@paypal/checkout-server-sdk' {
  export interface HttpRequest {
    path: string
    verb: 'GET' | 'POST' | 'PATCH' | 'DELETE'
    headers: Record<string, string>
    body?: unknown
  }
  export interface HttpResponse<T = unknown> {
    statusCode: number
    headers: Record<string, string>
    result?: T
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a namespace of types, used through `paypal.core`
  namespace core {
    class PayPalEnvironment {
      constructor(clientId: string, clientSecret: string, baseUrl: string, webUrl: string)
      baseUrl: string
    }
    class PayPalHttpClient {
      constructor(environment: PayPalEnvironment)
      execute<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>
    }
  }
  const paypal: { core: typeof core }
  export default paypal
}
