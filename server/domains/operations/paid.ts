import type { StoreTransactionRow } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { queueLineDelivery } from './deliveries'
import { queueAnnouncement } from './discord'
import { fixEndsAt } from './ended'

// What else happens, in the same database transaction, when an order is paid or taken back.

/** A paid order: fix its end (timed items) and announce a purchase on Discord. */
export async function afterPaid(deps: Deps, tx: StoreTransactionRow): Promise<void> {
  await fixEndsAt(deps, tx)
  if (tx.source === 'purchase') await queueAnnouncement(deps, tx)
}

/** A refunded or reversed order that had been paid: its revoke commands, once per transaction. */
export async function afterReturned(deps: Deps, before: StoreTransactionRow): Promise<void> {
  if (before.paidAt === null) return
  await queueLineDelivery(deps, before, 'revoke', 'revoke_commands')
}
