import { createRequest, type RemotingCommand } from '../../protocol/remoting-command.js';
import { RequestCode } from '../../protocol/request-code.js';
import { ResponseCode } from '../../protocol/response-code.js';

/** The remoting call needed (RemotingClient.invoke). */
export interface MasterConfigInvoker {
  invoke(addr: string, cmd: RemotingCommand, timeoutMs: number): Promise<RemotingCommand>;
}

/**
 * A slave's commit-log files must have the master's size: replication copies the master's bytes to the
 * same offsets, and a master file's END marker and its next file's first record only line up with the
 * slave's files when both roll at the same offsets (otherwise records straddle the slave's files and
 * become unreadable there). Java does not check this; we ask the master (GET_BROKER_CONFIG, which Java
 * brokers answer too) before replicating. Returns the problem, or null when the sizes agree or the master
 * does not say (an old broker's key is also read). Throws when the master can't be asked.
 */
export async function commitLogFileSizeProblem(
  invoker: MasterConfigInvoker,
  masterAddr: string,
  ownFileSize: number,
  timeoutMs = 3000,
): Promise<string | null> {
  const res = await invoker.invoke(masterAddr, createRequest(RequestCode.GET_BROKER_CONFIG), timeoutMs);
  if (res.code !== ResponseCode.SUCCESS)
    throw new Error(`GET_BROKER_CONFIG: code ${res.code} ${res.remark ?? ''}`);
  const text = res.body?.toString('utf8') ?? '';
  const m = /^(?:mappedFileSizeCommitLog|mapedFileSizeCommitLog)=(\d+)\s*$/m.exec(text);
  if (!m) return null;
  const masterSize = Number(m[1]);
  if (masterSize === ownFileSize) return null;
  return (
    `the master ${masterAddr} has mappedFileSizeCommitLog=${masterSize} but this slave has ${ownFileSize}: ` +
    'replication stopped (set the same mappedFileSizeCommitLog on both and restart the slave)'
  );
}
