import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from './server'

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
  json: unknown
}

/** Runs `npm run cairn -- <args>` (tsx scripts/cairn.ts) with the given environment. */
export function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/cairn.ts'), ...args], {
      cwd: ROOT,
      env: Object.fromEntries(Object.entries({ PATH: process.env.PATH, ...env }).filter((e): e is [string, string] => e[1] !== undefined)),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.once('error', reject)
    child.once('exit', (code) => {
      let json: unknown
      try {
        json = JSON.parse(stdout)
      }
      catch {
        json = undefined
      }
      resolve({ code, stdout, stderr, json })
    })
  })
}
