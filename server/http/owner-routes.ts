import { defineEventHandler, getRouterParam, sendNoContent, setResponseStatus } from 'h3'
import type { z } from 'zod'
import { actorOf, type Actor } from '../domains/operations/audit'
import { resourceId } from '../domains/webstore/fields'
import type { Deps } from '../platform/deps'
import { requireLicense } from './auth-guards'
import { useDeps } from './deps'
import { readInput } from './validate'

// The owner API's create / replace / delete routes are one shape: the license the request acts on
// (401, 404, 409 revoked), then the `:id` (404 when it cannot name anything), then the body against
// its contract schema (400, 413), then the domain write with the signed-in owner as the audit actor,
// and the result presented under one key. Each route file names its schema, write and presenter.

type Write<In, Row> = (deps: Deps, licenseId: string, input: In, actor: Actor) => Promise<Row>
type Replace<In, Row> = (deps: Deps, licenseId: string, id: string, input: In, actor: Actor) => Promise<Row>

/** POST creating one record of the license: 201 with `{ [key]: present(row) }`. */
export function ownerCreateRoute<K extends string, S extends z.ZodType, Row, View>(
  key: K, schema: S, create: Write<z.output<S>, Row>, present: (row: Row) => View,
) {
  return defineEventHandler(async (event) => {
    const { license, user } = await requireLicense(event)
    const input = await readInput(event, schema)
    const row = await create(await useDeps(), license.id, input, actorOf(user))
    setResponseStatus(event, 201)
    return { [key]: present(row) } as Record<K, View>
  })
}

/** PUT replacing the `:id` record (`resource` names it in the 404): 200 with `{ [key]: present(row) }`. */
export function ownerReplaceRoute<K extends string, S extends z.ZodType, Row, View>(
  key: K, resource: string, schema: S, replace: Replace<z.output<S>, Row>, present: (row: Row) => View,
) {
  return defineEventHandler(async (event) => {
    const { license, user } = await requireLicense(event)
    const id = resourceId(getRouterParam(event, 'id'), resource)
    const input = await readInput(event, schema)
    const row = await replace(await useDeps(), license.id, id, input, actorOf(user))
    return { [key]: present(row) } as Record<K, View>
  })
}

/** DELETE of the `:id` record (`resource` names it in the 404): 204. */
export function ownerDeleteRoute(resource: string, remove: (deps: Deps, licenseId: string, id: string, actor: Actor) => Promise<unknown>) {
  return defineEventHandler(async (event) => {
    const { license, user } = await requireLicense(event)
    const id = resourceId(getRouterParam(event, 'id'), resource)
    await remove(await useDeps(), license.id, id, actorOf(user))
    return sendNoContent(event, 204)
  })
}
