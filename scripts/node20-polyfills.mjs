// @nuxt/eslint's config utilities call Object.groupBy (Node 21+); we run on Node 20.
if (typeof Object.groupBy !== 'function') {
  Object.groupBy = (items, keyOf) => {
    const out = Object.create(null)
    let i = 0
    for (const item of items) {
      const key = keyOf(item, i++)
      ;(out[key] ??= []).push(item)
    }
    return out
  }
}
