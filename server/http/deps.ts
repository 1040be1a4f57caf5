import type { Deps } from '../platform/deps'
import { useAppContext } from './app-context'

/** The deps a route handler passes to domain functions (assembled once at start-up). */
export async function useDeps(): Promise<Deps> {
  return (await useAppContext()).deps
}
