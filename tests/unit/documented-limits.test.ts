import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { apiDocument } from '../../server/http/openapi'
import * as L from '../../shared/contracts/limits'

// Every number docs/*.md, docs/schemas/*.json and the OpenAPI text quote, against the constant
// the code enforces. Each check finds the sentence that quotes a limit and compares its numbers;
// a sentence that disappears or quotes another number fails here.

const ROOT = join(import.meta.dirname, '../..')
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8').replace(/\s+/g, ' ')
const MB = 1024 * 1024
const perSecond = (limit: L.RateLimit) => limit.perSecond
const everySeconds = (limit: L.RateLimit) => Math.round(1 / limit.perSecond)

/** The numbers `pattern`'s groups capture in `text` (the pattern must match exactly once). */
function quoted(text: string, pattern: RegExp): number[] {
  // A sentence may be quoted in several places (e.g. /purchase and /checkout); every copy must agree.
  const matches = [...text.matchAll(new RegExp(pattern.source, 'g'))].map(m => m.slice(1).map(Number))
  expect(matches.length, `${pattern} should match`).toBeGreaterThan(0)
  for (const m of matches) expect(m, String(pattern)).toEqual(matches[0])
  return matches[0]!
}

interface Quote { pattern: RegExp, numbers: number[] }

const DOCS: Record<string, Quote[]> = {
  'docs/owner-api.md': [
    { pattern: /Bodies are at most (\d+) MB \(413 above\)/, numbers: [L.MAX_BODY_BYTES / MB] },
    { pattern: /JSON nested deeper than (\d+) levels/, numbers: [L.MAX_JSON_DEPTH] },
    { pattern: /`email` \(1–(\d+) characters\) and `password` \(1–(\d+)\)/, numbers: [L.EMAIL_MAX_LENGTH, L.PASSWORD_MAX_LENGTH] },
    { pattern: /valid for \*\*(\d+) hours\*\*/, numbers: [L.SESSION_TTL_SECONDS / 3600] },
    { pattern: /Max-Age=(\d+)/, numbers: [L.SESSION_TTL_SECONDS] },
    {
      pattern: /one per email \((\d+) attempts, one more every (\d+) minutes\) and one per client IP \((\d+) attempts, one more every (\d+) seconds\)/,
      numbers: [L.SIGN_IN_FAILURES_PER_EMAIL.burst, everySeconds(L.SIGN_IN_FAILURES_PER_EMAIL) / 60, L.SIGN_IN_FAILURES_PER_IP.burst, everySeconds(L.SIGN_IN_FAILURES_PER_IP)],
    },
    { pattern: /The password must be (\d+)–(\d+) characters\. The token is single-use and lives (\d+) days/, numbers: [L.PASSWORD_MIN_LENGTH, L.PASSWORD_MAX_LENGTH, L.CLAIM_TOKEN_TTL_DAYS] },
    {
      pattern: /`name` \(≤ (\d+)\), `description` \(≤ (\d+), newlines allowed\), `currency`, `paypal_client_id` \(≤ (\d+)\), `paypal_client_secret` \(≤ (\d+)\), `paypal_mode` \(`sandbox` \| `live`\), `paypal_webhook_id` \(≤ (\d+)\)/,
      numbers: [L.STORE_NAME_MAX_LENGTH, L.STORE_DESCRIPTION_MAX_LENGTH, L.PAYPAL_CLIENT_ID_MAX_LENGTH, L.PAYPAL_CLIENT_SECRET_MAX_LENGTH, L.PAYPAL_WEBHOOK_ID_MAX_LENGTH],
    },
    { pattern: /`name` 1–(\d+) \(one line\), `description` ≤ (\d+), `sort_order` an integer/, numbers: [L.CATEGORY_NAME_MAX_LENGTH, L.CATEGORY_DESCRIPTION_MAX_LENGTH] },
    {
      pattern: /name \(1–(\d+)\), description \(≤ (\d+)\), price_cents \(1–(\d+)\), image_url \(https or null\), commands: \[\{ command \(1–(\d+)\), require_online \}\] \(1–(\d+)\)/,
      numbers: [L.ITEM_NAME_MAX_LENGTH, L.ITEM_DESCRIPTION_MAX_LENGTH, L.MAX_PRICE_CENTS, L.COMMAND_MAX_LENGTH, L.MAX_COMMANDS],
    },
    { pattern: /At most (\d+) characters\. An empty value means no filter/, numbers: [L.PLAYER_FILTER_MAX_LENGTH] },
    { pattern: /`limit`: an integer \*\*1–(\d+)\*\*, default (\d+)\. `0`, `(\d+)`/, numbers: [L.LIST_LIMIT_MAX, L.LIST_LIMIT_DEFAULT, L.LIST_LIMIT_MAX + 1] },
    { pattern: /`limit: must be an integer from 1 to (\d+)`/, numbers: [L.LIST_LIMIT_MAX] },
    { pattern: /`quantity` is an integer 1–(\d+), default 1/, numbers: [L.PURCHASE_QUANTITY_MAX] },
    { pattern: /paid within (\d+) minutes/, numbers: [L.PENDING_PURCHASE_TTL_MINUTES] },
    { pattern: /\*\*expires (\d+) minutes\*\* after the purchase/, numbers: [L.PENDING_PURCHASE_TTL_MINUTES] },
    { pattern: /A background job runs every (\d+) s on every replica/, numbers: [L.PENDING_SWEEP_SECONDS] },
    { pattern: /Purchases are rate limited per client IP: a burst of (\d+), then (\d+) per second/, numbers: [L.PURCHASES_PER_IP.burst, perSecond(L.PURCHASES_PER_IP)] },
    { pattern: /it works \*\*once\*\*, for \*\*(\d+) minutes\*\*/, numbers: [L.PASSWORD_RESET_TTL_MINUTES] },
    {
      pattern: /per address, known or not \((\d+), then one more every (\d+) minutes\), and\s+per client IP \((\d+), then one more every (\d+) seconds\)/,
      numbers: [L.PASSWORD_RESET_REQUESTS_PER_EMAIL.burst, everySeconds(L.PASSWORD_RESET_REQUESTS_PER_EMAIL) / 60, L.PASSWORD_RESET_REQUESTS_PER_IP.burst, everySeconds(L.PASSWORD_RESET_REQUESTS_PER_IP)],
    },
    { pattern: /claims due mails every (\d+) s/, numbers: [L.MAIL_POLL_SECONDS] },
    { pattern: /tried again after (\d+) s, doubling up to every (\d+) minutes, and given up \(logged as an\s+error\) after (\d+) attempts/, numbers: [L.MAIL_RETRY_FIRST_SECONDS, L.MAIL_RETRY_MAX_MINUTES, L.MAIL_MAX_ATTEMPTS] },
    { pattern: /`user_agent` the browser's \(at most (\d+) characters\); `last_seen_at` is written at most once a\s+minute/, numbers: [L.USER_AGENT_MAX_LENGTH] },
    { pattern: /\(SHA-1, (\d+) digits, (\d+) s\); 409 while enabled/, numbers: [L.TOTP_DIGITS, L.TOTP_PERIOD_SECONDS] },
    { pattern: /`\{ "recovery_codes": \[(\d+) codes\] \}`/, numbers: [L.RECOVERY_CODE_COUNT] },
    { pattern: /and\s+lives \*\*(\d+) minutes\*\*; a forged, expired or outdated one/, numbers: [L.LOGIN_CHALLENGE_TTL_SECONDS / 60] },
  ],
  'docs/host-api.md': [
    { pattern: /Rate limit: (\d+) requests per second per host with bursts up to (\d+)/, numbers: [perSecond(L.HOST_API_PER_HOST), L.HOST_API_PER_HOST.burst] },
    { pattern: /Use bulk provisioning \(up to (\d+) servers per call\)/, numbers: [L.BULK_PROVISION_MAX] },
    { pattern: /JSON nested over (\d+) levels/, numbers: [L.MAX_JSON_DEPTH] },
    { pattern: /the JSON body is over (\d+) MB \(`data\.max_bytes`\); a bulk of (\d+) servers/, numbers: [L.MAX_BODY_BYTES / MB, L.BULK_PROVISION_MAX] },
    { pattern: /your id for the game server \(1–(\d+) of/, numbers: [L.SERVER_ID_MAX_LENGTH] },
    { pattern: /the server's DNS name or IP address \(≤ (\d+) characters\)/, numbers: [L.HOSTNAME_MAX_LENGTH] },
    { pattern: /a single-use claim token \(valid (\d+) days\)/, numbers: [L.CLAIM_TOKEN_TTL_DAYS] },
    { pattern: /one server, or up to (\d+) in one call/, numbers: [L.BULK_PROVISION_MAX] },
    { pattern: /\| `limit` \| 1–(\d+), default (\d+) \|/, numbers: [L.LIST_LIMIT_MAX, L.LIST_LIMIT_DEFAULT] },
  ],
  'docs/agent-contract.md': [
    { pattern: /`detail` \(≤ (\d+) characters, control characters stripped\) is kept/, numbers: [L.ACK_DETAIL_MAX_LENGTH] },
    { pattern: /first, at most (\d+) per call/, numbers: [L.AGENT_QUEUE_BATCH] },
    { pattern: /with backoff: (\d+) s, 1 min, 2 min, \.\.\. up to every (\d+) min/, numbers: [L.AGENT_RESEND_FIRST_SECONDS, L.AGENT_RESEND_MAX_MINUTES] },
    { pattern: /inside its (\d+)-minute window/, numbers: [L.NATS_DUPLICATE_WINDOW_MINUTES] },
    { pattern: /duplicate window 2 minutes, at most (\d+) messages per subject/, numbers: [L.AGENT_STREAM_MAX_MSGS_PER_SUBJECT] },
    { pattern: /the stream keeps at most (\d+) messages per subject/, numbers: [L.AGENT_STREAM_MAX_MSGS_PER_SUBJECT] },
    { pattern: /more than (\d+) requests at once for one license, then more than one every (\d+) s/, numbers: [L.AGENT_NATS_CREDENTIALS_PER_LICENSE.burst, everySeconds(L.AGENT_NATS_CREDENTIALS_PER_LICENSE)] },
    { pattern: /expires after `NATS_AGENT_TTL_S` \(default (\d+) s\)/, numbers: [L.NATS_AGENT_TTL_DEFAULT_SECONDS] },
  ],
  'docs/operations.md': [
    { pattern: /`503` when the database does not answer within (\d+) s/, numbers: [L.HEALTH_DB_TIMEOUT_MS / 1000] },
    { pattern: /`CAIRN_AGENT` keeps at most (\d+) messages per subject/, numbers: [L.AGENT_STREAM_MAX_MSGS_PER_SUBJECT] },
    { pattern: /\((\d+) requests at once per license, then one every (\d+) s, per replica\)/, numbers: [L.AGENT_NATS_CREDENTIALS_PER_LICENSE.burst, everySeconds(L.AGENT_NATS_CREDENTIALS_PER_LICENSE)] },
    { pattern: /at most `NATS_AGENT_TTL_S` \(default (\d+) s\) later/, numbers: [L.NATS_AGENT_TTL_DEFAULT_SECONDS] },
  ],
}

describe('numbers quoted in docs/*.md are the constants the code enforces', () => {
  for (const [file, quotes] of Object.entries(DOCS)) {
    it(file, () => {
      const text = read(file)
      for (const { pattern, numbers } of quotes) expect(quoted(text, pattern), String(pattern)).toEqual(numbers)
    })
  }
})

describe('the agent JSON Schemas in docs/schemas/ carry the same limits', () => {
  const schema = <T>(name: string): T => JSON.parse(readFileSync(join(ROOT, 'docs/schemas', name), 'utf8')) as T

  it('acks: 1–ACKS_PER_CALL_MAX per body, detail up to ACK_DETAIL_MAX_LENGTH', () => {
    const ack = schema<{ $defs: { ack: { properties: { detail: { maxLength: number } } } }, oneOf: Array<{ properties?: { acks: { minItems: number, maxItems: number } } }> }>('ack.schema.json')
    expect(ack.$defs.ack.properties.detail.maxLength).toBe(L.ACK_DETAIL_MAX_LENGTH)
    expect(ack.oneOf[0]?.properties?.acks).toMatchObject({ minItems: 1, maxItems: L.ACKS_PER_CALL_MAX })
    const moduleAck = schema<{ properties: { detail: { maxLength: number } } }>('module-install-ack.schema.json')
    expect(moduleAck.properties.detail.maxLength).toBe(L.ACK_DETAIL_MAX_LENGTH)
  })

  it('a delivery carries 1–MAX_COMMANDS commands', () => {
    const delivery = schema<{ properties: { commands: { minItems: number, maxItems: number } } }>('delivery.schema.json')
    expect(delivery.properties.commands).toMatchObject({ minItems: 1, maxItems: L.MAX_COMMANDS })
  })
})

describe('numbers quoted in the OpenAPI text are the constants', () => {
  const text = JSON.stringify(apiDocument('https://panel.example.com')).replace(/\\n/g, ' ')
  const cases: Quote[] = [
    { pattern: /Rate limited per client IP \(a burst of (\d+), then (\d+) per second\)/, numbers: [L.PURCHASES_PER_IP.burst, perSecond(L.PURCHASES_PER_IP)] },
    { pattern: /Too many purchases from this client IP \(a burst of (\d+), then (\d+) per second\)/, numbers: [L.PURCHASES_PER_IP.burst, perSecond(L.PURCHASES_PER_IP)] },
    {
      pattern: /failed sign-ins for this email \((\d+), then one more every (\d+) min\) or this client IP \((\d+), then one more every (\d+) s\)/,
      numbers: [L.SIGN_IN_FAILURES_PER_EMAIL.burst, everySeconds(L.SIGN_IN_FAILURES_PER_EMAIL) / 60, L.SIGN_IN_FAILURES_PER_IP.burst, everySeconds(L.SIGN_IN_FAILURES_PER_IP)],
    },
    { pattern: /The pending transaction expires after (\d+) minutes/, numbers: [L.PENDING_PURCHASE_TTL_MINUTES] },
    { pattern: /Returns a session JWT \(valid (\d+) h/, numbers: [L.SESSION_TTL_SECONDS / 3600] },
    { pattern: /password under (\d+) characters/, numbers: [L.PASSWORD_MIN_LENGTH] },
    { pattern: /Oldest first, at most (\d+) per call/, numbers: [L.AGENT_QUEUE_BATCH] },
    { pattern: /Acknowledge deliveries and module installs \(1–(\d+) per call\)/, numbers: [L.ACKS_PER_CALL_MAX] },
    { pattern: /or up to (\d+) in one call/, numbers: [L.BULK_PROVISION_MAX] },
    { pattern: /The image is larger than (\d+) MB/, numbers: [L.ITEM_IMAGE_MAX_BYTES / MB] },
    { pattern: /`limit` 1–(\d+) \(default (\d+); anything else is 400\)/, numbers: [L.LIST_LIMIT_MAX, L.LIST_LIMIT_DEFAULT] },
    { pattern: /`limit` 1–(\d+) \(default (\d+)\); follow `next_cursor`/, numbers: [L.LIST_LIMIT_MAX, L.LIST_LIMIT_DEFAULT] },
  ]

  it('quotes each limit with its constant', () => {
    for (const { pattern, numbers } of cases) expect(quoted(text, pattern), String(pattern)).toEqual(numbers)
  })

  it('quotes the same numbers wherever a text repeats them (Max-Age, body size, host rate limit)', () => {
    for (const m of text.matchAll(/Max-Age=(\d+)/g)) expect(Number(m[1])).toBe(L.SESSION_TTL_SECONDS)
    const bodies = [...text.matchAll(/over (\d+) MB/g)]
    expect(bodies.length).toBeGreaterThan(0)
    for (const m of bodies) expect(Number(m[1])).toBe(L.MAX_BODY_BYTES / MB)
    const host = [...text.matchAll(/Over this host's rate limit \(a burst of (\d+), then (\d+) per second\)/g)]
    expect(host.length).toBeGreaterThan(0)
    for (const m of host) expect([Number(m[1]), Number(m[2])]).toEqual([L.HOST_API_PER_HOST.burst, perSecond(L.HOST_API_PER_HOST)])
  })

  it('words rates the way the docs do', () => {
    expect(L.describeRate({ burst: 120, perSecond: 2 })).toBe('a burst of 120, then 2 per second')
    expect(L.describeRate({ burst: 5, perSecond: 1 / 180 })).toBe('5, then one more every 3 min')
    expect(L.describeRate({ burst: 100, perSecond: 1 / 10 })).toBe('100, then one more every 10 s')
    expect(L.describeBytes(1024 * 1024)).toBe('1 MB')
  })
})
