import type { z } from 'zod'
import { createUserSchema } from '../../shared/contracts/auth'
import { emailSchema } from '../../shared/contracts/fields'
import { hostnameSchema } from '../../shared/contracts/host'
import { DomainError } from '../../server/platform/errors'
import { createLicense, ensureClaimToken, presentLicense } from '../../server/domains/licenses/licenses'
import { createUser, findOrCreateUserByEmail } from '../../server/domains/auth/users'
import { CliError, type CliCommand } from './framework'

function check<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input)
  if (!result.success) {
    throw new CliError(result.error.issues.map(i => `--${i.path.join('.')}: ${i.message}`).join('\n'))
  }
  return result.data
}

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
      const input = check(createUserSchema, { email: flags.email, password: flags.password })
      const { deps } = await ctx.open()
      try {
        const user = await createUser(deps, input)
        return { user_id: user.id, email: user.email }
      }
      catch (error) {
        if (error instanceof DomainError) throw new CliError(error.message)
        throw error
      }
    },
  },
  {
    name: 'license:create',
    usage: 'npm run cairn -- license:create --email <email> [--hostname <hostname>]',
    flags: { email: { required: true, description: 'owner email (created without a password if new)' }, hostname: { description: 'game server address' } },
    async run(flags, ctx) {
      const email = check(emailSchema, flags.email)
      const hostname = flags.hostname === undefined ? null : check(hostnameSchema, flags.hostname)
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
