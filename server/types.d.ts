declare module 'h3' {
  interface H3EventContext {
    requestId?: string
    startedAt?: number
    /** CSP hashes of the page's inline scripts (render:html → render:response). */
    scriptHashes?: string[]
    /** A storefront page render whose HTML may be kept (server/middleware/storefront-page.ts). */
    storefrontPage?: { snapshot: import('./domains/storefront/public-snapshot').StoreSnapshot, variant: string }
  }
}

export {}
