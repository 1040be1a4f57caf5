import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { licenses, users } from '../../server/db/schema'
import { DEMO_EMAIL, DEMO_PASSWORD, hashDemoPassword, seedDemo } from '../../server/domains/demo/seed'
import { verifyPassword } from '../../server/platform/crypto'
import { useTestDatabase } from '../support/test-database'

const t = useTestDatabase('cairn_demo_seed')

describe('demo seed', () => {
  it('stores the password hash start-up began early, then seeds nothing a second time', async () => {
    const early = hashDemoPassword()
    expect(await seedDemo(t.deps, early)).toBe(true)
    const [owner] = await t.db.select().from(users).where(eq(users.email, DEMO_EMAIL))
    expect(owner?.passwordHash).toBe(await early)
    expect(await verifyPassword(DEMO_PASSWORD, owner?.passwordHash ?? '')).toBe(true)
    expect(await t.db.select({ subdomain: licenses.subdomain }).from(licenses).where(eq(licenses.userId, owner!.id))).toEqual([{ subdomain: 'demo' }])

    expect(await seedDemo(t.deps, hashDemoPassword())).toBe(false)
    expect(await t.db.select({ id: users.id }).from(users)).toHaveLength(1)
  })
})
