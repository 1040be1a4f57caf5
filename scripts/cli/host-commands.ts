import { z } from 'zod'
import { generateBilling } from '../../server/domains/hosts/billing'
import { currencySchema, hostNameSchema, monthSchema } from '../../shared/contracts/host'
import { MAX_RATE_CENTS } from '../../shared/contracts/limits'
import { DomainError } from '../../server/platform/errors'
import { createHost, listHosts, presentHostSummary, rotateHostKey, setHostRate, setHostStatus } from '../../server/domains/hosts/hosts'
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
      const { deps } = await ctx.open()
      const { host, apiKey } = await createHost(deps, { name, rate_cents: rate, currency })
      return { host_id: host.id, name: host.name, api_key: apiKey, rate_cents: host.rateCents, currency: host.currency }
    },
  },
  {
    name: 'host:rotate-key',
    usage: 'npm run cairn -- host:rotate-key --host <host_id>',
    flags: { host: { required: true, description: 'host id from host:list' } },
    async run(flags, ctx) {
      const hostId = hostIdFlag(flags.host)
      const { deps } = await ctx.open()
      const { host, apiKey } = await domain(() => rotateHostKey(deps, hostId))
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
      const { deps } = await ctx.open()
      const host = await domain(() => setHostRate(deps, hostId, rate))
      return { host_id: host.id, rate_cents: host.rateCents }
    },
  },
  {
    name: 'host:list',
    usage: 'npm run cairn -- host:list',
    flags: {},
    async run(_flags, ctx) {
      const { deps } = await ctx.open()
      return { hosts: (await listHosts(deps)).map(presentHostSummary) }
    },
  },
  {
    name: 'host:suspend',
    usage: 'npm run cairn -- host:suspend --host <host_id>',
    flags: { host: { required: true, description: 'host id from host:list' } },
    async run(flags, ctx) {
      const hostId = hostIdFlag(flags.host)
      const { deps } = await ctx.open()
      const host = await domain(() => setHostStatus(deps, hostId, 'suspended'))
      return { host_id: host.id, status: host.status }
    },
  },
  {
    name: 'host:activate',
    usage: 'npm run cairn -- host:activate --host <host_id>',
    flags: { host: { required: true, description: 'host id from host:list' } },
    async run(flags, ctx) {
      const hostId = hostIdFlag(flags.host)
      const { deps } = await ctx.open()
      const host = await domain(() => setHostStatus(deps, hostId, 'active'))
      return { host_id: host.id, status: host.status }
    },
  },
  {
    name: 'billing:generate',
    usage: 'npm run cairn -- billing:generate --month YYYY-MM',
    flags: { month: { required: true, description: 'a month that has ended, e.g. 2026-03' } },
    async run(flags, ctx) {
      const month = check(monthSchema, flags.month, 'month')
      const { deps } = await ctx.open()
      return domain(() => generateBilling(deps, month))
    },
  },
]
