// Every table of the app; drizzle-kit reads this file to generate migrations.
export * from './core'
export * from './webstore'
export * from './hosts'
export * from './delivery'
export * from './modules'
export * from './operations'
export * from './commerce'
export * from './account'
