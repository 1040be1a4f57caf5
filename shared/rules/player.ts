// The player name rule (API.md: purchase rules). The storefront's form and the server check the same pattern.

export const PLAYER_NAME_MIN = 3
export const PLAYER_NAME_MAX = 16
/** As an HTML `pattern` attribute (anchored by the browser) and as a RegExp. */
export const PLAYER_NAME_PATTERN = `^[A-Za-z0-9_]{${PLAYER_NAME_MIN},${PLAYER_NAME_MAX}}$`
export const PLAYER_NAME_RE = new RegExp(PLAYER_NAME_PATTERN)

export function isPlayerName(value: unknown): value is string {
  return typeof value === 'string' && PLAYER_NAME_RE.test(value)
}
