// Nitro's generated handler table (the same list its router is built from). Not part of Nitro's
// public types; server/http/route-methods.ts reads only `route` and `method`.
declare module '#nitro-internal-virtual/server-handlers' {
  export const handlers: ReadonlyArray<{ route: string, method?: string, middleware: boolean, lazy: boolean }>
}
