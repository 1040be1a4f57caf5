import { listUserLicenses, presentOwnedLicense } from '../../services/licenses'
import { presentUser } from '../../services/users'

export default defineEventHandler(async (event) => {
  const { user } = await requireUser(event)
  const { db } = await useAppContext()
  const licenses = await listUserLicenses(db, user.id)
  return { user: presentUser(user), licenses: licenses.map(presentOwnedLicense) }
})
