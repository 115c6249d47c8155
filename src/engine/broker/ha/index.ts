export { BrokerHA, type RegisterResultForHA } from './broker-ha.js';
export { GroupTransferWaiters } from './group-transfer.js';
export { HAClient, type HAClientStatus } from './ha-client.js';
export {
  encodeOffsetReport,
  encodeTransferHeader,
  OffsetReportReader,
  REPORT_SIZE,
  TRANSFER_HEADER_SIZE,
  TransferChunkReader,
} from './ha-codec.js';
export { HAConnection } from './ha-connection.js';
export { type HAConnectionInfo, HAService } from './ha-service.js';
export type { HAConfig, HAStore, SlaveWaitStatus } from './ha-store.js';
