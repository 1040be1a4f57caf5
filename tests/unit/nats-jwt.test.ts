import { decode, encodeUser } from '@nats-io/jwt'
import { createAccount, createOperator, createUser } from '@nats-io/nkeys'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { agentPermissions } from '../../server/domains/agent/credentials'
import { accountSigner, encodeUserJwt, isAccountPublicKey, isAccountSeed, isUserPublicKey } from '../../server/integrations/nats/jwt'

// Agent JWTs are signed with node:crypto instead of @nats-io/jwt's tweetnacl path (~25 ms per
// JWT); the bytes must stay exactly what encodeUser produces, or nats-server would see a
// different (or invalid) token.

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
const LICENSE = '5b0d6a43-3f0e-4d4a-9d2b-6c8a1e2f3a4b'

afterEach(() => {
  vi.useRealTimers()
})

describe('agent user JWTs', () => {
  it.each([0, 1, 7, 42])('are byte-identical to encodeUser(name, user, account, claims, { signer, exp }) (case %i)', async (n) => {
    const account = createAccount()
    const signing = createAccount()
    const user = createUser()
    const issuedAt = 1_790_000_000 + n * 3_601
    const expiresAt = issuedAt + 60 + n
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(issuedAt * 1000 + 999)
    const stock = await encodeUser(`cairn-agent-${LICENSE}`, user, account.getPublicKey(), agentPermissions(LICENSE) as Parameters<typeof encodeUser>[3], { signer: signing, exp: expiresAt })
    vi.useRealTimers()
    const ours = encodeUserJwt(accountSigner(text(signing.getSeed())), {
      name: `cairn-agent-${LICENSE}`, userPublicKey: user.getPublicKey(), account: account.getPublicKey(), claims: agentPermissions(LICENSE), issuedAt, expiresAt,
    })
    expect(ours).toBe(stock)
    // ...and it verifies as a user of the account, signed by the signing key.
    const claims = decode<{ issuer_account: string, type: string }>(ours)
    expect(claims).toMatchObject({ iss: signing.getPublicKey(), sub: user.getPublicKey(), exp: expiresAt, iat: issuedAt, nats: { issuer_account: account.getPublicKey(), type: 'user' } })
  })

  it('grant exactly the verified permission set: two consumers, their acks, the ack subject, the own inbox', () => {
    const c = (kind: string) => `agent_${LICENSE}_${kind}`
    expect(agentPermissions(LICENSE)).toEqual({
      pub: {
        allow: [
          `$JS.API.CONSUMER.INFO.CAIRN_AGENT.${c('deliveries')}`, `$JS.API.CONSUMER.MSG.NEXT.CAIRN_AGENT.${c('deliveries')}`, `$JS.ACK.CAIRN_AGENT.${c('deliveries')}.>`,
          `$JS.API.CONSUMER.INFO.CAIRN_AGENT.${c('modules')}`, `$JS.API.CONSUMER.MSG.NEXT.CAIRN_AGENT.${c('modules')}`, `$JS.ACK.CAIRN_AGENT.${c('modules')}.>`,
          `cairn.agent.${LICENSE}.acks`,
        ],
      },
      sub: { allow: [`_INBOX_${LICENSE}.>`] },
      allowed_connection_types: ['STANDARD'],
    })
  })

  it('tell key kinds apart by prefix and checksum', () => {
    const user = createUser().getPublicKey()
    const account = createAccount()
    expect(isUserPublicKey(user)).toBe(true)
    expect(isUserPublicKey(account.getPublicKey())).toBe(false)
    expect(isUserPublicKey(createOperator().getPublicKey())).toBe(false)
    expect(isUserPublicKey(`${user.slice(0, -2)}${user.endsWith('AA') ? 'BB' : 'AA'}`)).toBe(false)
    expect(isUserPublicKey(text(createUser().getSeed()))).toBe(false)
    expect(isAccountPublicKey(account.getPublicKey())).toBe(true)
    expect(isAccountSeed(text(account.getSeed()))).toBe(true)
    expect(isAccountSeed(text(createUser().getSeed()))).toBe(false)
    expect(() => accountSigner(text(createUser().getSeed()))).toThrow('not an account seed')
  })
})
