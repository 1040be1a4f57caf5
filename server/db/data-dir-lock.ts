import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { systemClock, type Clock } from '../platform/clock'

// PGlite has no inter-process locking: two processes on one data folder corrupt it.
// Every process that opens the folder (server, CLI) holds this lock file while it does.

export class DataDirBusyError extends Error {}

interface LockInfo { pid: number, owner: string, since: string }

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  }
  catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function acquireDataDirLock(dataDir: string, owner: string, clock: Clock = systemClock): () => void {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'pglite.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, JSON.stringify({ pid: process.pid, owner, since: clock.now().toISOString() } satisfies LockInfo))
      closeSync(fd)
      let released = false
      const release = () => {
        if (released) return
        released = true
        rmSync(file, { force: true })
      }
      process.once('exit', release)
      return release
    }
    catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      let info: LockInfo | undefined
      try {
        info = JSON.parse(readFileSync(file, 'utf8')) as LockInfo
      }
      catch {
        info = undefined
      }
      if (info && info.pid !== process.pid && isAlive(info.pid)) {
        throw new DataDirBusyError(`the embedded database in ${dataDir} is open in another process (${info.owner}, pid ${info.pid}). Stop it first, or set DATABASE_URL to use PostgreSQL.`)
      }
      rmSync(file, { force: true }) // stale lock (process gone) or our own from a dev reload
    }
  }
  throw new DataDirBusyError(`could not lock ${dataDir}`)
}
