import type { H3Event } from 'h3'
import { getQuery, getRouterParams, readRawBody } from 'h3'
import type { z } from 'zod'
import { InvalidInput } from '../services/errors'
import { parseInput } from '../services/validation'

/** Parses the JSON body against `schema`: 400 for malformed JSON or any invalid field. */
export async function readInput<S extends z.ZodType>(event: H3Event, schema: S): Promise<z.output<S>> {
  const raw = await readRawBody(event, 'utf8')
  let body: unknown
  if (raw === undefined || raw.trim() === '') body = undefined
  else {
    try {
      body = JSON.parse(raw)
    }
    catch {
      throw new InvalidInput([{ path: '', message: 'request body must be valid JSON' }], 'Request body must be valid JSON')
    }
  }
  if (body === undefined) throw new InvalidInput([{ path: '', message: 'a JSON body is required' }], 'A JSON body is required')
  return parseInput(schema, body)
}

export function queryInput<S extends z.ZodType>(event: H3Event, schema: S): z.output<S> {
  return parseInput(schema, getQuery(event))
}

export function paramsInput<S extends z.ZodType>(event: H3Event, schema: S): z.output<S> {
  return parseInput(schema, getRouterParams(event, { decode: true }))
}
