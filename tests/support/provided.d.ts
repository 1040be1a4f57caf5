declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the built app under test (api / e2e projects). */
    baseUrl: string
    /** PostgreSQL URL of the server's database, for asserting database effects. */
    databaseUrl: string
    /** NATS URL the server uses, or '' when NATS is not reachable. */
    natsUrl: string
    /** File the server's stdout/stderr go to. */
    serverLog: string
    /** Base URL of the fake PayPal (tests/fakes/paypal) the server talks to, or ''. */
    paypalUrl: string
    /** HTTP view of the test SMTP server's inbox (tests/fakes/smtp): GET /messages?to=, POST /fail?count=. */
    smtpInboxUrl: string
    /** Why the project's tests are skipped on this machine, or ''. */
    skipReason: string
  }
}

export {}
