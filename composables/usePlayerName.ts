import { PLAYER_NAME_MAX, PLAYER_NAME_MIN, isPlayerName } from '#shared/rules/player'

const PLAYER_KEY = 'cairn-player-name'

/** The server's player-name rule in the buyer's words (the storefront's hint and refusal say it). */
export const PLAYER_NAME_RULE = `${PLAYER_NAME_MIN}–${PLAYER_NAME_MAX} letters, digits or underscores.`

/**
 * The player's in-game name, asked once and remembered across items, baskets and visits
 * (localStorage), with whether it follows the rule.
 */
export function usePlayerName() {
  const name = useState('cairn-player-name', () => '')
  onMounted(() => {
    if (!name.value) name.value = window.localStorage.getItem(PLAYER_KEY) ?? ''
  })
  watch(name, value => window.localStorage.setItem(PLAYER_KEY, value))
  const valid = computed(() => isPlayerName(name.value))
  return { name, valid }
}
