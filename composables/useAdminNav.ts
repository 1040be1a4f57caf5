export interface NavItem {
  label: string
  to: string
  group?: string
}

/** The panel's sections; each capability adds its pages here. */
export const adminNav: NavItem[] = [
  { label: 'Overview', to: '/admin' },
]
