/** Panel pages need a signed-in owner; others go to /login and come back afterwards. */
export default defineNuxtRouteMiddleware(async (to) => {
  const { me, loaded, refresh, selectLicense } = useSession()
  if (!loaded.value || !me.value) await refresh()
  if (!me.value) return navigateTo({ path: '/login', query: to.fullPath !== '/admin' ? { next: to.fullPath } : {} })
  const wanted = typeof to.query.license === 'string' ? to.query.license : undefined
  if (wanted && me.value.licenses.some(l => l.license_id === wanted)) selectLicense(wanted)
})
