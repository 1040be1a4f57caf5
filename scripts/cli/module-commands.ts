import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { publishedModules, publishModule } from '../../server/domains/modules/registry'
import { CliError, type CliCommand } from './framework'

/** `.jar` of `webstore.jar`, `.tar.gz` of `x.tar.gz`; '' without one. */
function extensionOf(file: string): string {
  const name = basename(file)
  const match = /((?:\.tar)?\.[A-Za-z0-9]{1,10})$/.exec(name)
  return match && match.index > 0 ? match[1]! : ''
}

export const moduleCommands: CliCommand[] = [
  {
    name: 'module:publish',
    usage: 'npm run cairn -- module:publish --id <id> --version <x.y.z> --file <path> [--name <n>] [--description <d>]',
    flags: {
      id: { required: true, description: 'module id, ^[a-z0-9][a-z0-9-]{1,63}$' },
      version: { required: true, description: 'semantic version, e.g. 1.2.3' },
      file: { required: true, description: 'the file agents install (e.g. a plugin .jar)' },
      name: { description: 'shown in the panel (default: the id, or the previous version\'s)' },
      description: { description: 'shown in the panel' },
    },
    async run(flags, ctx) {
      let bytes: Buffer
      try {
        bytes = readFileSync(flags.file!)
      }
      catch (error) {
        throw new CliError(`--file: cannot read ${flags.file}: ${(error as Error).message}`)
      }
      const { deps } = await ctx.open()
      return publishModule(deps, { id: flags.id!, version: flags.version!, bytes, ext: extensionOf(flags.file!), name: flags.name, description: flags.description })
    },
  },
  {
    name: 'module:list',
    usage: 'npm run cairn -- module:list',
    flags: {},
    async run(_flags, ctx) {
      const { deps } = await ctx.open()
      return { modules: await publishedModules(deps) }
    },
  },
]
