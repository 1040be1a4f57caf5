// Operator CLI: `npm run cairn -- <command> [--flags]`. JSON on stdout, messages on stderr.
import { DataDirBusyError } from '../server/db/data-dir-lock'
import { createDeps } from '../server/platform/deps'
import { appEnv, ConfigError } from '../server/platform/env'
import { DomainError } from '../server/platform/errors'
import { openFromEnv, type Opened } from '../server/platform/startup'
import { coreCommands } from './cli/core-commands'
import { hostCommands } from './cli/host-commands'
import { natsCommands } from './cli/nats-commands'
import { moduleCommands } from './cli/module-commands'
import { CliError, parseFlags, type CliCommand } from './cli/framework'

const commands: CliCommand[] = [...coreCommands, ...hostCommands, ...natsCommands, ...moduleCommands]

function help(): string {
  return ['usage: npm run cairn -- <command> [--flags]', '', 'commands:', ...commands.map(c => `  ${c.usage.replace('npm run cairn -- ', '')}`)].join('\n')
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === 'help') {
    process.stderr.write(`${help()}\n`)
    return name ? 0 : 2
  }
  const command = commands.find(c => c.name === name)
  if (!command) {
    process.stderr.write(`unknown command "${name}"\n\n${help()}\n`)
    return 2
  }
  let opened: Opened | undefined
  try {
    const flags = parseFlags(command, rest)
    const result = await command.run(flags, {
      async open() {
        opened ??= await openFromEnv(appEnv(), { owner: `cairn ${name}`, migrate: true })
        const { handle, env, keys } = opened
        return { handle, deps: createDeps({ db: handle.db, env, keys }) }
      },
    })
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    return 0
  }
  catch (error) {
    // The operator's mistakes (arguments, configuration, an unknown host, a taken email): one line.
    if (error instanceof CliError || error instanceof DomainError || error instanceof DataDirBusyError || error instanceof ConfigError) {
      process.stderr.write(`error: ${error.message}\n`)
      return 2
    }
    process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`)
    return 1
  }
  finally {
    if (opened) {
      await opened.handle.close().catch(() => {})
      opened.release()
    }
  }
}

process.exitCode = await main(process.argv.slice(2))
