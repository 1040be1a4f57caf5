import { z } from 'zod'

// The module registry's HTTP shapes (the CLI publishes; agents download).

export const moduleArtifactParamsSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a module id'),
  version: z.string().max(32, 'must be at most 32 characters').regex(/^[0-9A-Za-z.+-]+$/, 'must be a version such as 1.2.3'),
})

/** The file itself (application/octet-stream). */
export const moduleArtifactBytesSchema = z.string().meta({ format: 'binary', description: 'The published file, byte for byte' })
