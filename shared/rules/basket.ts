/** Where a store's basket lives in the player's browser (localStorage), read by the app and the storefront's loader. */
export const basketStorageKey = (subdomain: string) => `cairn-basket:${subdomain}`
