import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { moduleInstalls } from '../../server/db/schema'
import { createOwner, serverDb, type Owner } from '../support/fixtures'
import { call, fakeIp } from '../support/http'

// POST /api/modules/install against the contract: a malformed version is a 400 naming `version`
// (not a 404 like a well-formed unknown one), a wrong type says so, nothing is written for bad
// input, and concurrent requests for one module leave exactly one install in flight.

const skip = inject('skipReason') !== ''

interface InstallReply {
  install?: { id: string, module_id: string, version: string, status: string }
  message?: string
  data?: { issues?: Array<{ path: string, message: string }>, install?: { id: string } }
}

const install = (owner: Owner, body: unknown) =>
  call<InstallReply>('/api/modules/install', { method: 'POST', body, token: owner.token, headers: { 'x-forwarded-for': fakeIp() } })

describe.skipIf(skip)('POST /api/modules/install input and concurrency', () => {
  let owner: Owner
  beforeAll(async () => {
    owner = await createOwner(1, 'modconf')
  })

  it('malformed versions are 400 naming version; a well-formed unknown one is 404; nothing is written', async () => {
    for (const version of ['v1.3.0', 'latest', '1.3', '01.3.0', '1.3.0.4', '../1.3.0', '1.3.0 ', 'x'.repeat(33)]) {
      const res = await install(owner, { module_id: 'webstore', version })
      expect(res.status, version).toBe(400)
      expect(res.body.data?.issues?.[0]?.path, version).toBe('version')
    }
    expect((await install(owner, { module_id: 'webstore', version: '9.9.9' })).status).toBe(404)
    for (const [body, path] of [[{ module_id: 123 }, 'module_id'], [{ module_id: 'webstore', version: 130 }, 'version'], [{ module_id: ['webstore'] }, 'module_id']] as const) {
      const res = await install(owner, body)
      expect(res.status).toBe(400)
      expect(res.body.data?.issues?.[0]).toEqual({ path, message: 'must be a string' })
    }
    const { db } = await serverDb()
    expect(await db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, owner.licenses[0]!.id))).toHaveLength(0)
  })

  it('concurrent installs of one module: exactly one 202 queued, the others 409 naming it', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => install(owner, { module_id: 'backups' })))
    const queued = results.filter(r => r.status === 202)
    const conflicts = results.filter(r => r.status === 409)
    expect(queued).toHaveLength(1)
    expect(conflicts).toHaveLength(11)
    const id = queued[0]!.body.install!.id
    expect(queued[0]!.body.install).toMatchObject({ module_id: 'backups', status: 'queued' })
    for (const c of conflicts) expect(c.body.data?.install?.id).toBe(id)
    const { db } = await serverDb()
    expect(await db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, owner.licenses[0]!.id))).toHaveLength(1)
  })
})
