import { z } from 'zod'

/** A PayPal webhook event: any JSON object, trusted only once PayPal confirms it (never by its shape). */
export const webhookBodySchema = z.record(z.string(), z.unknown())
