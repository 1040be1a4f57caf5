import { isIP } from 'node:net'
import { describe, expect, it } from 'vitest'
import { deliveries, hostBillingRecords, hosts, licenses, moduleInstalls, storeConfig, storeTransactions, webstoreSubscriptions } from '../../server/db/schema'
import * as E from '../../shared/contracts/enums'
import { hostnameSchema } from '../../shared/contracts/host'
import { purchaseInputSchema } from '../../shared/contracts/storefront'
import { isIpAddress } from '../../shared/rules/ip-address'
import { centsToDecimal } from '../../shared/rules/money'
import { isPlayerName, PLAYER_NAME_PATTERN } from '../../shared/rules/player'
import { isUuid } from '../../shared/rules/uuid'

// The rules both sides share (shared/rules) and the enums the database stores are the ones the
// contracts validate with: one definition each.

describe('enums: the database columns store exactly the contract lists', () => {
  it('uses the same arrays for every enum column', () => {
    expect(licenses.status.enumValues).toBe(E.LICENSE_STATUSES)
    expect(hosts.status.enumValues).toBe(E.HOST_STATUSES)
    expect(hosts.currency.enumValues).toBe(E.CURRENCIES)
    expect(hostBillingRecords.currency.enumValues).toBe(E.CURRENCIES)
    expect(storeConfig.currency.enumValues).toBe(E.CURRENCIES)
    expect(storeConfig.paypalMode.enumValues).toBe(E.PAYPAL_MODES)
    expect(storeTransactions.status.enumValues).toBe(E.TRANSACTION_STATUSES)
    expect(webstoreSubscriptions.status.enumValues).toBe(E.SUBSCRIPTION_STATUSES)
    expect(moduleInstalls.status.enumValues).toBe(E.MODULE_INSTALL_STATUSES)
    expect(deliveries.kind.enumValues).toBe(E.OUTBOX_KINDS)
    expect(deliveries.status.enumValues).toBe(E.OUTBOX_STATUSES)
  })
})

describe('IP literals: the shared rule reads them like node:net', () => {
  /** Deterministic pseudo-random strings (mulberry32), so a failure is reproducible. */
  function* candidates(count: number, seed: number): Generator<string> {
    let state = seed
    const next = () => {
      state = (state + 0x6D2B79F5) | 0
      let t = Math.imul(state ^ (state >>> 15), 1 | state)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    for (let i = 0; i < count; i++) {
      const parts = Array.from({ length: 1 + Math.floor(next() * 9) }, () => {
        const r = next()
        return r < 0.15 ? '' : r < 0.2 ? '10.0.0.1' : r < 0.25 ? '256.1.1.1' : Math.floor(next() * 0x1FFFF).toString(16)
      })
      yield parts.join(next() < 0.5 ? ':' : '.') + (next() < 0.05 ? '%eth0' : '')
    }
  }

  it('agrees with isIP on known literals and 5 000 generated ones', () => {
    const known = ['1.2.3.4', '01.2.3.4', '256.1.1.1', '::', '::1', 'fe80::1%eth0', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1::2::3', 'a:b:c:d:e:f:1.2.3.4', '1.2.3', '']
    const values = [...known, ...candidates(5_000, 42)]
    expect(values.filter(v => isIpAddress(v) !== (isIP(v) !== 0))).toEqual([])
    expect(values.filter(v => isIP(v) !== 0).length).toBeGreaterThan(30)
  })

  it('lets a host name its server by IP address, and refuses what is neither name nor address', () => {
    for (const ok of ['10.0.0.7', '2001:db8::1', 'mc.example.net']) expect(hostnameSchema.safeParse(ok).success, ok).toBe(true)
    expect(hostnameSchema.safeParse('10.0.0.256:25565').error?.issues[0]?.message).toBe('must be a DNS name or an IP address')
  })
})

describe('player names, UUIDs and money: one rule each', () => {
  it('the purchase contract checks player names with the shared rule and its wording', () => {
    for (const name of ['Steve', 'abc', 'Notch_2009', 'x'.repeat(16)]) {
      expect(isPlayerName(name), name).toBe(true)
      expect(purchaseInputSchema.safeParse({ item_id: '0c9d5a8e-3f2b-4d71-8e6a-91b2c3d4e5f6', player_name: name }).success, name).toBe(true)
    }
    for (const name of ['ab', 'x'.repeat(17), 'Steve!', 'op Steve', '']) {
      expect(isPlayerName(name), name).toBe(false)
      expect(purchaseInputSchema.safeParse({ item_id: '0c9d5a8e-3f2b-4d71-8e6a-91b2c3d4e5f6', player_name: name }).error?.issues[0]?.message, name)
        .toBe('must be 3-16 characters: letters, digits and underscore only')
    }
    expect(PLAYER_NAME_PATTERN).toBe('^[A-Za-z0-9_]{3,16}$')
  })

  it('accepts UUIDs in either case and stores them lower-cased', () => {
    expect(isUuid('069A79F4-44E9-4726-A5BE-FCA90E38AAF5')).toBe(true)
    expect(isUuid('069a79f4-44e9-4726-a5be-fca90e38aaf')).toBe(false)
    const parsed = purchaseInputSchema.parse({ item_id: '0C9D5A8E-3F2B-4D71-8E6A-91B2C3D4E5F6', player_name: 'Steve', player_uuid: '069A79F4-44E9-4726-A5BE-FCA90E38AAF5' })
    expect(parsed).toMatchObject({ item_id: '0c9d5a8e-3f2b-4d71-8e6a-91b2c3d4e5f6', player_uuid: '069a79f4-44e9-4726-a5be-fca90e38aaf5', quantity: 1 })
  })

  it('writes cents as a decimal one way, refusing fractions of a cent', () => {
    expect(centsToDecimal(499)).toBe('4.99')
    expect(centsToDecimal(5)).toBe('0.05')
    expect(centsToDecimal(-250)).toBe('-2.50')
    expect(() => centsToDecimal(4.5)).toThrow()
  })
})
