import { registerModuleInstallAcks } from '../domains/modules/acks'

/** Module install acks (NATS or HTTP) update `module_installs` in the ack's own transaction. */
export default defineNitroPlugin(() => {
  registerModuleInstallAcks()
})
