export interface NavItem {
  label: string
  to: string
  group?: string
}

/** The panel's sections; each capability adds its pages here. */
export const adminNav: NavItem[] = [
  { label: 'Overview', to: '/admin' },
  { label: 'Store settings', to: '/admin/webstore/config', group: 'Webstore' },
  { label: 'Categories', to: '/admin/webstore/categories', group: 'Webstore' },
  { label: 'Items', to: '/admin/webstore/items', group: 'Webstore' },
  { label: 'Coupons', to: '/admin/webstore/coupons', group: 'Webstore' },
  { label: 'Sales', to: '/admin/webstore/sales', group: 'Webstore' },
  { label: 'Transactions', to: '/admin/webstore/transactions', group: 'Webstore' },
  { label: 'Grant an item', to: '/admin/webstore/grants', group: 'Webstore' },
  { label: 'Activity log', to: '/admin/webstore/audit', group: 'Webstore' },
  { label: 'Subscription', to: '/admin/webstore/subscription', group: 'Webstore' },
  { label: 'Modules', to: '/admin/modules' },
  { label: 'Account', to: '/admin/account' },
]
