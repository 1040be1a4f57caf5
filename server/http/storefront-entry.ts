import { basketStorageKey } from '../../shared/rules/basket'

// The storefront's main page needs no JavaScript until a player acts: it is complete HTML (items,
// prices, widgets) rendered on the server. So it ships without the app's entry, its modulepreloads
// and the prefetches of every other page's chunks, and carries instead a small inline loader that
// shows the basket count from localStorage, starts loading the app when a pointer or focus reaches
// an action (Add, Buy, Basket), and on the first click loads and hydrates the app, then replays that
// click on the same (hydrated) element. Browsing costs no framework download; buying costs what it
// did. plugins/app-ready.client.ts puts the server's count text back just before hydration (so Vue
// finds the DOM it rendered) and says when hydration is done.

export interface RenderedChunks {
  head: string[]
  bodyAppend: string[]
}

const ENTRY_RE = /<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"[^>]*><\/script>/
const HINT_RE = /<link\b[^>]*\brel="(?:modulepreload|prefetch)"[^>]*>/g
const ACTIONS = '[data-add-to-basket],[data-buy],[data-open-basket]'

/** Inline JSON for a script: `<` escaped so no value can close the tag. */
const literal = (value: string) => JSON.stringify(value).replace(/</g, '\\u003c')

/** The loader's source (ES5, no dependencies); its SHA-256 goes into the page's CSP like any inline script. */
export function storefrontLoader(entryUrl: string, subdomain: string): string {
  return `(function(){var d=document,w=window,E=${literal(entryUrl)},K=${literal(basketStorageKey(subdomain))},A=${literal(ACTIONS)},p;`
    + `function boot(){return p||(p=import(E))}`
    + `try{var s=JSON.parse(localStorage.getItem(K)||"null"),n=0;((s&&s.lines)||[]).forEach(function(l){n+=l&&l.quantity>0?l.quantity|0:0});var c=d.querySelector("[data-basket-count]");if(c&&n){c.setAttribute("data-ssr-text",c.textContent);c.textContent=" ("+n+")"}}catch(e){}`
    + `function near(e){var t=e.target;return t&&t.closest?t.closest(A):null}`
    + `["pointerover","focusin","touchstart"].forEach(function(k){d.addEventListener(k,function(e){if(near(e))boot()},{passive:true})});`
    + `d.addEventListener("click",function(e){if(w.__cairnReady)return;var t=near(e);if(!t)return;e.preventDefault();e.stopImmediatePropagation();`
    + `d.addEventListener("cairn:ready",function(){t.click()},{once:true});boot().catch(function(){if(t.href)location.href=t.href})},true)})()`
}

/**
 * Takes the app's entry, modulepreloads and prefetches out of a rendered storefront page and puts
 * the loader in their place. Returns false (page unchanged) when the entry cannot be found.
 */
export function deferAppEntry(html: RenderedChunks, subdomain: string): boolean {
  let entryUrl: string | undefined
  const strip = (chunk: string) => chunk.replace(ENTRY_RE, (_tag, src: string) => {
    entryUrl = src
    return ''
  })
  const head = html.head.map(strip)
  const bodyAppend = html.bodyAppend.map(strip)
  if (!entryUrl) return false
  html.head = head.map(chunk => chunk.replace(HINT_RE, ''))
  html.bodyAppend = [...bodyAppend.map(chunk => chunk.replace(HINT_RE, '')), `<script>${storefrontLoader(entryUrl, subdomain)}</script>`]
  return true
}
