import { listUserLicenses, presentOwnedLicense } from '../../domains/licenses/licenses'
import { presentUser } from '../../domains/auth/users'

export default defineEventHandler(async (event) => {
  const { user } = await requireUser(event)
  const { db } = await useAppContext()
  const licenses = await listUserLicenses(db, user.id)
  return { user: presentUser(user), licenses: licenses.map(presentOwnedLicense) }
})
