// The storefront's loader (server/http/storefront-entry.ts) holds back the first click until the
// app has hydrated, and shows the basket count before the app exists. Before hydrating, the text
// it changed goes back to what the server rendered (`data-ssr-text`), so Vue finds its own DOM; the
// app then shows the count itself. Once hydrated, the loader is told and replays the click.
export default defineNuxtPlugin((nuxtApp) => {
  for (const el of document.querySelectorAll<HTMLElement>('[data-ssr-text]')) {
    el.textContent = el.getAttribute('data-ssr-text')
    el.removeAttribute('data-ssr-text')
  }
  nuxtApp.hook('app:suspense:resolve', () => {
    (window as Window & { __cairnReady?: boolean }).__cairnReady = true
    document.dispatchEvent(new Event('cairn:ready'))
  })
})
