import { z } from 'zod'
import { parseProvisionRequest, provisionLicenses } from '../../domains/hosts/provisioning'

/** One server → 201 new / 200 already provisioned; bulk → 200 `{ licenses: [... + created] }` in request order. */
export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  const request = parseProvisionRequest(await readInput(event, z.unknown()))
  const results = await provisionLicenses(await useDeps(), host, request)
  if (request.kind === 'bulk') return { licenses: results.map(r => ({ ...r.license, created: r.created })) }
  const [only] = results
  if (!only) throw new Error('provisioning returned nothing')
  setResponseStatus(event, only.created ? 201 : 200)
  return only.license
})
