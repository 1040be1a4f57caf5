import { auditQuerySchema } from '../../../shared/contracts/operations'
import { listAudit, presentAuditEvent } from '../../domains/operations/audit'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const query = queryInput(event, auditQuerySchema)
  const { rows, nextCursor } = await listAudit(await useDeps(), license.id, query)
  return { events: rows.map(presentAuditEvent), next_cursor: nextCursor }
})
