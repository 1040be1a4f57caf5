import { createUserSchema } from '../../shared/contracts/auth'
import { emailSchema } from '../../shared/contracts/fields'
import { hostnameSchema } from '../../shared/contracts/host'
import { createLicense, ensureClaimToken, presentLicense } from '../../server/domains/licenses/licenses'
import { createUser, findOrCreateUserByEmail } from '../../server/domains/auth/users'
import { checkFlag, checkFlags, type CliCommand } from './framework'

export const coreCommands: CliCommand[] = [
  {
    name: 'db:migrate',
    usage: 'npm run cairn -- db:migrate',
    flags: {},
    async run(_flags, ctx) {
      const { handle } = await ctx.open()
      return { migrated: true, database: handle.kind }
    },
  },
  {
    name: 'user:create',
    usage: 'npm run cairn -- user:create --email <email> --password <password>',
    flags: { email: { required: true, description: 'sign-in email' }, password: { required: true, description: 'at least 10 characters' } },
    async run(flags, ctx) {
      const input = checkFlags(createUserSchema, { email: flags.email, password: flags.password })
      const { deps } = await ctx.open()
      const user = await createUser(deps, input)
      return { user_id: user.id, email: user.email }
    },
  },
  {
    name: 'license:create',
    usage: 'npm run cairn -- license:create --email <email> [--hostname <hostname>]',
    flags: { email: { required: true, description: 'owner email (created without a password if new)' }, hostname: { description: 'game server address' } },
    async run(flags, ctx) {
      const email = checkFlag(emailSchema, flags.email, 'email')
      const hostname = flags.hostname === undefined ? null : checkFlag(hostnameSchema, flags.hostname, 'hostname')
      const { deps } = await ctx.open()
      const { license, companionToken, claimToken, user } = await deps.db.transaction(async (db) => {
        const tx = { ...deps, db }
        const user = await findOrCreateUserByEmail(tx, email)
        const created = await createLicense(tx, { userId: user.id, email: user.email, hostname })
        const claimToken = user.passwordHash ? null : await ensureClaimToken(tx, user, created.license.id)
        return { ...created, claimToken, user }
      })
      return presentLicense(deps.env, license, {
        customerEmail: user.email,
        companionToken,
        claimToken,
      })
    },
  },
]
