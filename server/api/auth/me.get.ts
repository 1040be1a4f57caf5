import { listUserLicenses, presentOwnedLicense } from '../../domains/licenses/licenses'
import { presentUser } from '../../domains/auth/users'

export default defineEventHandler(async (event) => {
  const { user } = await requireUser(event)
  const licenses = await listUserLicenses(await useDeps(), user.id)
  return { user: presentUser(user), licenses: licenses.map(presentOwnedLicense) }
})
