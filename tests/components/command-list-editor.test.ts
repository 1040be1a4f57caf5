import { mountSuspended } from '@nuxt/test-utils/runtime'
import { describe, expect, it } from 'vitest'
import type { CommandDraft } from '#shared/contracts/webstore'
import CommandListEditor from '~/components/webstore/CommandListEditor.vue'

// The command list on its own: adding up to the limit, moving and removing rows (v-model), and
// the placeholder rules the API applies, checked as the owner types.

async function mountList(commands: string[], options: { max?: number, issues?: Record<string, string> } = {}) {
  const rows: CommandDraft[] = commands.map((command, key) => ({ key, command, require_online: false }))
  const view = await mountSuspended(CommandListEditor, {
    props: {
      'modelValue': rows,
      'onUpdate:modelValue': (next: CommandDraft[]) => view.setProps({ modelValue: next }),
      'issues': options.issues ?? {},
      'max': options.max ?? 20,
    },
  })
  const current = () => (view.props('modelValue') as CommandDraft[]).map(c => c.command)
  return { view, current }
}

describe('CommandListEditor', () => {
  it('adds rows up to the limit, then disables "Add command"', async () => {
    const { view, current } = await mountList(['say one'], { max: 2 })
    expect(view.text()).toContain('1/2')
    await view.get('[data-testid="add-command"]').trigger('click')
    expect(current()).toEqual(['say one', ''])
    expect(view.text()).toContain('2/2')
    expect(view.get('[data-testid="add-command"]').attributes('disabled')).toBeDefined()
  })

  it('moves and removes rows, keeping the order it emits', async () => {
    const { view, current } = await mountList(['say one', 'say two', 'say three'])
    await view.get('button[aria-label="Move command 3 up"]').trigger('click')
    expect(current()).toEqual(['say one', 'say three', 'say two'])
    await view.get('button[aria-label="Move command 1 down"]').trigger('click')
    expect(current()).toEqual(['say three', 'say one', 'say two'])
    await view.get('button[aria-label="Remove command 2"]').trigger('click')
    expect(current()).toEqual(['say three', 'say two'])
    expect(view.get('button[aria-label="Move command 1 up"]').attributes('disabled')).toBeDefined()
  })

  it('applies the server\'s placeholder rules to each row', async () => {
    const { view } = await mountList(['give {player} 1', 'give {name} 1', 'say {{uuid}}', 'say {price} {currency} {transaction_id} {item_id}'])
    const problems = view.findAll('[data-testid="command-problem"]').map((p: { text: () => string }) => p.text())
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(/^Unknown placeholder \{name\}; allowed: .*\{currency\}\.$/)
    expect(problems[1]).toMatch(/^Braces may only surround a placeholder/)
    expect(view.get('#command-0').attributes('aria-invalid')).toBe('false')
    expect(view.get('#command-1').attributes('aria-invalid')).toBe('true')
    expect(view.get('#command-3').attributes('aria-invalid')).toBe('false')
  })

  it('shows the API\'s message for a row and for the whole list', async () => {
    const { view } = await mountList(['give {player} 1'], { issues: { 'commands.0.command': 'must not be empty', 'commands': 'may hold at most 20 commands' } })
    expect(view.get('#command-0-error').text()).toBe('must not be empty')
    expect(view.text()).toContain('may hold at most 20 commands')
  })
})
