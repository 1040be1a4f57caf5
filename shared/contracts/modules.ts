// Wire shapes of /api/modules* (API.md), shared by the server presenters and the panel.

export type ModuleInstallStatusName = 'queued' | 'sent' | 'installed' | 'failed'

export interface ModuleInstall {
  id: string
  module_id: string
  version: string
  status: ModuleInstallStatusName
  /** The agent's reason when it failed (or its note when it succeeded). */
  detail: string | null
  created_at: string
  updated_at: string
  finished_at: string | null
}

/** One catalog entry with this server's state (GET /api/modules). */
export interface ModuleListing {
  id: string
  name: string
  description: string
  latest_version: string
  /** Every published version, newest first. */
  versions: string[]
  /** The version the agent last reported installed, or null. */
  installed_version: string | null
  /** The status of the latest install request, or null when none was made. */
  install_status: ModuleInstallStatusName | null
  /** The latest install request itself (to follow it live), or null. */
  last_install: ModuleInstall | null
}
