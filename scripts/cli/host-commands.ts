import { z } from 'zod'
import { generateBilling, monthSchema } from '../../server/domains/hosts/billing'
import { systemClock } from '../../server/platform/clock'
import { DomainError } from '../../server/platform/errors'
import { createHost, currencySchema, hostNameSchema, listHosts, MAX_RATE_CENTS, presentHostSummary, rotateHostKey, setHostRate, setHostStatus } from '../../server/domains/hosts/hosts'
import { CliError, integerFlag, type CliCommand } from './framework'

function check<S extends z.ZodType>(schema: S, value: unknown, flag: string): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw new CliError(`--${flag}: ${result.error.issues.map(i => i.message).join('; ')}`)
  return result.data
}

const hostIdFlag = (value: string | undefined) => check(z.uuid({ message: 'must be a host id (UUID) from host:list' }), value, 'host')

/** Domain errors (e.g. an unknown host) become a clean CLI message. */
async function domain<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  }
  catch (error) {
    if (error instanceof DomainError) throw new CliError(error.message)
    throw error
  }
}

export const hostCommands: CliCommand[] = [
  {
    name: 'host:create',
    usage: 'npm run cairn -- host:create --name <name> [--rate-cents 600] [--currency USD|EUR|GBP]',
    flags: {
      'name': { required: true, description: 'the hosting company\'s name' },
      'rate-cents': { description: 'wholesale price per billable license per month, in cents (default 600)' },
      'currency': { description: 'USD, EUR or GBP (default USD)' },
    },
    async run(flags, ctx) {
      const name = check(hostNameSchema, flags.name, 'name')
      const rate = integerFlag(flags['rate-cents'], 'rate-cents', 0, MAX_RATE_CENTS)
      const currency = flags.currency === undefined ? undefined : check(currencySchema, flags.currency.toUpperCase(), 'currency')
      const { handle } = await ctx.open()
      const { host, apiKey } = await createHost(handle.db, { name, rate_cents: rate, currency }, systemClock)
      return { host_id: host.id, name: host.name, api_key: apiKey, rate_cents: host.rateCents, currency: host.currency }
    },
  },
  {
    name: 'host:rotate-key',
    usage: 'npm run cairn -- host:rotate-key --host <host_id>',
    flags: { host: { required: true, description: 'host id from host:list' } },
    async run(flags, ctx) {
      const hostId = hostIdFlag(flags.host)
      const { handle } = await ctx.open()
      const { host, apiKey } = await domain(() => rotateHostKey(handle.db, hostId, systemClock))
      return { host_id: host.id, api_key: apiKey }
    },
  },
  {
    name: 'host:set-rate',
    usage: 'npm run cairn -- host:set-rate --host <host_id> --rate-cents <n>',
    flags: { 'host': { required: true, description: 'host id from host:list' }, 'rate-cents': { required: true, description: 'cents per billable license per month' } },
    async run(flags, ctx) {
      const hostId = hostIdFlag(flags.host)
      const rate = integerFlag(flags['rate-cents'], 'rate-cents', 0, MAX_RATE_CENTS) ?? 0
      const { handle } = await ctx.open()
      const host = await domain(() => setHostRate(handle.db, hostId, rate, systemClock))
      return { host_id: host.id, rate_cents: host.rateCents }
    },
  },
  {
    name: 'host:list',
    usage: 'npm run cairn -- host:list',
    flags: {},
    async run(_flags, ctx) {
      const { handle } = await ctx.open()
      return { hosts: (await listHosts(handle.db)).map(presentHostSummary) }
    },
  },
  {
    name: 'host:suspend',
    usage: 'npm run cairn -- host:suspend --host <host_id>',
    flags: { host: { required: true, description: 'host id from host:list' } },
    async run(flags, ctx) {
      const hostId = hostIdFlag(flags.host)
      const { handle } = await ctx.open()
      const host = await domain(() => setHostStatus(handle.db, hostId, 'suspended', systemClock))
      return { host_id: host.id, status: host.status }
    },
  },
  {
    name: 'host:activate',
    usage: 'npm run cairn -- host:activate --host <host_id>',
    flags: { host: { required: true, description: 'host id from host:list' } },
    async run(flags, ctx) {
      const hostId = hostIdFlag(flags.host)
      const { handle } = await ctx.open()
      const host = await domain(() => setHostStatus(handle.db, hostId, 'active', systemClock))
      return { host_id: host.id, status: host.status }
    },
  },
  {
    name: 'billing:generate',
    usage: 'npm run cairn -- billing:generate --month YYYY-MM',
    flags: { month: { required: true, description: 'a month that has ended, e.g. 2026-03' } },
    async run(flags, ctx) {
      const month = check(monthSchema, flags.month, 'month')
      const { handle } = await ctx.open()
      return domain(() => generateBilling(handle.db, month, systemClock))
    },
  },
]
