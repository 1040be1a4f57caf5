import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { devAgentLaunch } from '../domains/demo/dev-agent'
import { useAppContext } from '../http/app-context'

/**
 * `npm run dev`: runs the shipped agent (public/downloads/cairn-agent.mjs, bundled by the
 * build:before hook) with the stdout executor for the demo license. `import.meta.dev` is false in
 * every build, so production servers never contain this.
 */
export default defineNitroPlugin((nitroApp) => {
  if (!import.meta.dev) return
  let child: ChildProcess | undefined
  let closed = false
  void (async () => {
    const { deps } = await useAppContext()
    const launch = await devAgentLaunch(deps, join(deps.env.dataDir, 'dev-agent'))
    if (!launch || closed) return
    // The listener is up once the first request can be served; give it a moment.
    await new Promise(resolve => setTimeout(resolve, 1500))
    child = spawn(process.execPath, [join(process.cwd(), 'public/downloads/cairn-agent.mjs')], { env: launch.env, stdio: ['ignore', 'pipe', 'inherit'] })
    child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk.toString().split('\n').filter(Boolean).map(l => `[dev agent] ${l}\n`).join('')))
    deps.log.info('dev agent started for the demo license (stdout executor)', { pid: child.pid })
  })().catch((error: unknown) => {
    console.warn('[dev agent] not started:', (error as Error).message)
  })
  nitroApp.hooks.hook('close', () => {
    closed = true
    child?.kill('SIGTERM')
  })
})
