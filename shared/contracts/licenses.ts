import { z } from 'zod'
import { LICENSE_STATUSES } from './enums'
import { isoTime } from './fields'

// A license as hosts see it (API.md's License) and as its owner sees it (/api/auth/me, /api/license).

export const licenseSchema = z.strictObject({
  license_id: z.uuid(),
  server_id: z.string().nullable().meta({ description: 'The host\'s server id; null for a license made without a host (`license:create`)' }),
  hostname: z.string().nullable(),
  customer_email: z.email(),
  status: z.enum(LICENSE_STATUSES),
  license_key: z.string().meta({ example: 'CAIRN-7Q2XK-M4PZD-9H3TW-C8VNB', description: 'CAIRN-XXXXX-XXXXX-XXXXX-XXXXX (Crockford base32)' }),
  companion_token: z.string().optional().meta({ description: 'cairn_agent_... secret for the companion agent; omitted from lists' }),
  plugin_download_url: z.string(),
  subdomain: z.string(),
  panel_url: z.string().meta({ description: 'Panel page for this license; carries a single-use claim token while the customer has no password' }),
  store_url: z.string(),
  provisioned_at: isoTime,
  suspended_at: isoTime.nullable(),
  revoked_at: isoTime.nullable(),
}).meta({ title: 'License' })
export type LicenseView = z.output<typeof licenseSchema>

/** In lists the companion token is never included. */
export const listedLicenseSchema = licenseSchema.omit({ companion_token: true })

export const ownedLicenseSchema = z.strictObject({
  license_id: z.uuid(),
  license_key: z.string().meta({ example: 'CAIRN-7Q2XK-M4PZD-9H3TW-C8VNB' }),
  subdomain: z.string(),
  hostname: z.string().nullable(),
  status: z.enum(LICENSE_STATUSES),
}).meta({ title: 'OwnedLicense' })
export type OwnedLicense = z.output<typeof ownedLicenseSchema>

export const currentLicenseResponseSchema = z.strictObject({ license: ownedLicenseSchema })
