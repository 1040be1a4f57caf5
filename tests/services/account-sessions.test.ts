import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { useTestDatabase } from '../support/test-database'
import { LoginThrottle } from '../../server/domains/auth/login'
import { changePassword } from '../../server/domains/auth/password'
import { issueSession, listSessions, revokeUserSession, verifySession } from '../../server/domains/auth/sessions'
import { createUser } from '../../server/domains/auth/users'
import { sessions } from '../../server/db/schema'

const t = useTestDatabase('cairn_sessions')
const NOW = new Date('2026-11-26T10:00:00Z').getTime()
const at = (ms = 0) => t.at(new Date(NOW + ms))
const PASSWORD = 'correct horse battery'
let n = 0
const newUser = () => createUser(at(), { email: `s${++n}@example.com`, password: PASSWORD })

describe('session list', () => {
  it('lists live sessions with where they came from, marks the current one, and skips ended ones', async () => {
    const user = await newUser()
    const phone = await issueSession(at(), user.id, { ip: '203.0.113.7', userAgent: 'Phone' })
    const laptop = await issueSession(at(1000), user.id, { ip: '198.51.100.2', userAgent: 'x'.repeat(2000) })
    const ended = await issueSession(at(2000), user.id, { ip: null, userAgent: null })
    await revokeUserSession(at(3000), user.id, ended.sessionId)
    const list = await listSessions(at(4000), user.id, phone.sessionId)
    expect(list.map(s => s.id)).toEqual([laptop.sessionId, phone.sessionId])
    expect(list[1]).toEqual({ id: phone.sessionId, created_at: new Date(NOW).toISOString(), last_seen_at: new Date(NOW).toISOString(), ip: '203.0.113.7', user_agent: 'Phone', current: true })
    expect(list[0]!.user_agent).toHaveLength(512)
    expect(list[0]!.current).toBe(false)
  })

  it('writes last_seen_at at most once a minute', async () => {
    const user = await newUser()
    const s = await issueSession(at(), user.id)
    const seen = async () => (await t.db.select().from(sessions).where(eq(sessions.id, s.sessionId)))[0]!.lastSeenAt.getTime()
    await verifySession(at(30_000), s.token)
    expect(await seen()).toBe(NOW)
    await verifySession(at(61_000), s.token)
    expect(await seen()).toBe(NOW + 61_000)
    await verifySession(at(90_000), s.token)
    expect(await seen()).toBe(NOW + 61_000)
  })
})

describe('ending a session', () => {
  it('stops its token at once; another user\'s session id is a 404 and stays live', async () => {
    const alice = await newUser()
    const bob = await newUser()
    const a1 = await issueSession(at(), alice.id)
    const b1 = await issueSession(at(), bob.id)
    await expect(revokeUserSession(at(), alice.id, b1.sessionId)).rejects.toMatchObject({ statusCode: 404 })
    await expect(verifySession(at(), b1.token)).resolves.toBeTruthy()
    await revokeUserSession(at(), alice.id, a1.sessionId)
    await expect(verifySession(at(), a1.token)).rejects.toMatchObject({ statusCode: 401 })
    await expect(revokeUserSession(at(), alice.id, a1.sessionId)).rejects.toMatchObject({ statusCode: 404 })
  })
})

describe('password change', () => {
  it('needs the current password (403, counted like sign-in failures) and ends every other session', async () => {
    const user = await newUser()
    const current = await issueSession(at(), user.id)
    const other = await issueSession(at(), user.id)
    const throttle = new LoginThrottle()
    await expect(changePassword(at(), user, current.sessionId, { current_password: 'not my password', new_password: 'a new long password' }, '10.9.9.9', throttle)).rejects.toMatchObject({ statusCode: 403 })
    await expect(verifySession(at(), other.token)).resolves.toBeTruthy()
    expect(await changePassword(at(), user, current.sessionId, { current_password: PASSWORD, new_password: 'a new long password' }, '10.9.9.9', throttle)).toBe(1)
    await expect(verifySession(at(), other.token)).rejects.toMatchObject({ statusCode: 401 })
    await expect(verifySession(at(), current.token)).resolves.toBeTruthy()
    for (let i = 0; i < 5; i++) await changePassword(at(), user, current.sessionId, { current_password: `guess ${i} xxxxx`, new_password: 'whatever password' }, '10.9.9.9', throttle).catch(() => {})
    await expect(changePassword(at(), user, current.sessionId, { current_password: 'a new long password', new_password: 'whatever password' }, '10.9.9.9', throttle)).rejects.toMatchObject({ statusCode: 429 })
  })
})
