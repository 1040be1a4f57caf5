import { z } from 'zod'
import { generateBilling } from '../../server/domains/hosts/billing'
import { currencySchema, hostNameSchema, monthSchema } from '../../shared/contracts/host'
import { MAX_RATE_CENTS } from '../../shared/contracts/limits'
import { createHost, listHosts, presentHostSummary, rotateHostKey, setHostRate, setHostStatus } from '../../server/domains/hosts/hosts'
import { checkFlag, integerFlag, type CliCommand } from './framework'

const hostFlag = { host: { required: true, description: 'host id from host:list' } }
const hostIdFlag = (value: string | undefined) => checkFlag(z.uuid({ message: 'must be a host id (UUID) from host:list' }), value, 'host')

/** `host:suspend` and `host:activate`: the same command for the two statuses. */
function hostStatusCommand(name: string, status: 'suspended' | 'active'): CliCommand {
  return {
    name,
    usage: `npm run cairn -- ${name} --host <host_id>`,
    flags: hostFlag,
    async run(flags, ctx) {
      const hostId = hostIdFlag(flags.host)
      const { deps } = await ctx.open()
      const host = await setHostStatus(deps, hostId, status)
      return { host_id: host.id, status: host.status }
    },
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
      const name = checkFlag(hostNameSchema, flags.name, 'name')
      const rate = integerFlag(flags['rate-cents'], 'rate-cents', 0, MAX_RATE_CENTS)
      const currency = flags.currency === undefined ? undefined : checkFlag(currencySchema, flags.currency.toUpperCase(), 'currency')
      const { deps } = await ctx.open()
      const { host, apiKey } = await createHost(deps, { name, rate_cents: rate, currency })
      return { host_id: host.id, name: host.name, api_key: apiKey, rate_cents: host.rateCents, currency: host.currency }
    },
  },
  {
    name: 'host:rotate-key',
    usage: 'npm run cairn -- host:rotate-key --host <host_id>',
    flags: hostFlag,
    async run(flags, ctx) {
      const hostId = hostIdFlag(flags.host)
      const { deps } = await ctx.open()
      const { host, apiKey } = await rotateHostKey(deps, hostId)
      return { host_id: host.id, api_key: apiKey }
    },
  },
  {
    name: 'host:set-rate',
    usage: 'npm run cairn -- host:set-rate --host <host_id> --rate-cents <n>',
    flags: { ...hostFlag, 'rate-cents': { required: true, description: 'cents per billable license per month' } },
    async run(flags, ctx) {
      const hostId = hostIdFlag(flags.host)
      const rate = integerFlag(flags['rate-cents'], 'rate-cents', 0, MAX_RATE_CENTS) ?? 0
      const { deps } = await ctx.open()
      const host = await setHostRate(deps, hostId, rate)
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
  hostStatusCommand('host:suspend', 'suspended'),
  hostStatusCommand('host:activate', 'active'),
  {
    name: 'billing:generate',
    usage: 'npm run cairn -- billing:generate --month YYYY-MM',
    flags: { month: { required: true, description: 'a month that has ended, e.g. 2026-03' } },
    async run(flags, ctx) {
      const month = checkFlag(monthSchema, flags.month, 'month')
      const { deps } = await ctx.open()
      return generateBilling(deps, month)
    },
  },
]
