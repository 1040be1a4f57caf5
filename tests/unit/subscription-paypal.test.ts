import { describe, expect, it } from 'vitest'
import { PayPalError } from '../../server/integrations/paypal/client'
import { readSubscription, subscriptionIdOfEvent } from '../../server/integrations/paypal/subscriptions'
import { missingPlatformVars, platformPayPal } from '../../server/domains/subscriptions/platform'
import { loadEnv } from '../../server/platform/env'
import { closedReason, formatDay } from '../../shared/rules/subscription-wording'

// PayPal subscription JSON → the view Cairn decides on, the events' subscription ids, the
// platform configuration, and the panel's wording.

describe('readSubscription', () => {
  it('keeps status, plan, custom id, next billing time and the approve link', () => {
    const view = readSubscription({
      id: 'I-BW452GLLEP1G',
      status: 'APPROVAL_PENDING',
      plan_id: 'P-5ML4271244454362WXNWU5NQ',
      custom_id: 'lic-1',
      billing_info: { next_billing_time: '2026-12-26T10:00:00Z' },
      links: [{ rel: 'approve', href: 'https://www.paypal.com/webapps/billing/subscriptions?ba_token=BA-2M539689T3856352J' }, { rel: 'self', href: 'x' }],
    })
    expect(view).toEqual({
      id: 'I-BW452GLLEP1G',
      status: 'APPROVAL_PENDING',
      planId: 'P-5ML4271244454362WXNWU5NQ',
      customId: 'lic-1',
      nextBillingTime: new Date('2026-12-26T10:00:00Z'),
      approvalUrl: 'https://www.paypal.com/webapps/billing/subscriptions?ba_token=BA-2M539689T3856352J',
    })
  })

  it('tolerates missing or malformed optional fields and refuses a body without an id', () => {
    expect(readSubscription({ id: 'I-1', billing_info: { next_billing_time: 'not a date' } })).toMatchObject({ status: 'UNKNOWN', nextBillingTime: null, approvalUrl: null, planId: null })
    expect(() => readSubscription({ status: 'ACTIVE' })).toThrow(PayPalError)
    expect(() => readSubscription(undefined)).toThrow(PayPalError)
  })
})

describe('subscriptionIdOfEvent', () => {
  it('reads the subscription from BILLING.SUBSCRIPTION.* and the billing agreement from PAYMENT.SALE.*', () => {
    expect(subscriptionIdOfEvent('BILLING.SUBSCRIPTION.CANCELLED', { resource: { id: 'I-ABC' } })).toBe('I-ABC')
    expect(subscriptionIdOfEvent('PAYMENT.SALE.COMPLETED', { resource: { id: 'SALE-1', billing_agreement_id: 'I-ABC' } })).toBe('I-ABC')
    expect(subscriptionIdOfEvent('PAYMENT.CAPTURE.COMPLETED', { resource: { id: 'CAP-1' } })).toBeNull()
    expect(subscriptionIdOfEvent('BILLING.SUBSCRIPTION.CANCELLED', { resource: { id: 'I-1 OR 1=1' } })).toBeNull()
    expect(subscriptionIdOfEvent('BILLING.SUBSCRIPTION.CANCELLED', { resource: null })).toBeNull()
  })
})

describe('platformPayPal', () => {
  const full = { PLATFORM_PAYPAL_CLIENT_ID: 'cid', PLATFORM_PAYPAL_CLIENT_SECRET: 'sec', PLATFORM_PAYPAL_PLAN_ID: 'P-1', PLATFORM_PAYPAL_WEBHOOK_ID: 'WH-1' }

  it('needs client id, secret and plan; the webhook id and live mode are optional', () => {
    expect(platformPayPal(loadEnv(full))).toMatchObject({ planId: 'P-1', webhookId: 'WH-1' })
    expect(platformPayPal(loadEnv({ ...full, PLATFORM_PAYPAL_MODE: 'live', PLATFORM_PAYPAL_WEBHOOK_ID: '' }))).toMatchObject({ planId: 'P-1', webhookId: undefined })
    expect(platformPayPal(loadEnv({ ...full, PLATFORM_PAYPAL_PLAN_ID: '' }))).toBeNull()
    expect(missingPlatformVars(loadEnv({ PLATFORM_PAYPAL_CLIENT_ID: 'cid' }))).toEqual(['PLATFORM_PAYPAL_CLIENT_SECRET', 'PLATFORM_PAYPAL_PLAN_ID'])
  })
})

describe('panel wording', () => {
  it('explains every non-active status and formats days in UTC', () => {
    expect(closedReason('ACTIVE')).toBeNull()
    for (const s of [null, 'APPROVAL_PENDING', 'APPROVED', 'SUSPENDED', 'CANCELLED', 'EXPIRED'] as const) expect(closedReason(s)).toMatch(/subscription/)
    expect(formatDay('2026-12-31T23:30:00Z')).toBe('31 December 2026')
    expect(formatDay(null)).toBe('—')
  })
})
