import { ACL_ACCESS_KEY, ACL_SECURITY_TOKEN, ACL_SIGNATURE } from '../protocol/acl-signature.js';
import { decodeHeartbeatData } from '../protocol/bodies/heartbeat-data.js';
import type { RemotingCommand } from '../protocol/remoting-command.js';
import { RequestCode } from '../protocol/request-code.js';
import { AclError } from './acl-error.js';
import { groupResource, isRetryTopic, Perm } from './permission.js';
import { hostOfRemote } from './remote-address.js';

/** What one request asks for: who, from where, and which topics/groups with which permission. */
export interface AccessRequest {
  ip: string;
  code: number;
  accessKey?: string;
  signature?: string;
  securityToken?: string;
  /** topic or `%RETRY%group` → PUB/SUB bits needed. */
  resources: Map<string, number>;
}

function add(out: Map<string, number>, resource: string | undefined, perm: number): void {
  if (resource !== undefined && resource !== null) out.set(resource, perm);
}

function group(name: string | undefined): string | undefined {
  return name === undefined ? undefined : groupResource(name);
}

/**
 * The resources each request code needs, as RocketMQ 4.9's PlainAccessValidator reads them: a send needs
 * PUB on its topic, except a send to a retry topic, which needs SUB on the sending group; pulls,
 * heartbeats, send-backs, offset updates and group queries need SUB on the group (and topic).
 * Codes not listed need no resource, only a valid signature.
 */
export function parseAccessRequest(req: RemotingCommand, remoteAddr: string): AccessRequest {
  const out: AccessRequest = { ip: hostOfRemote(remoteAddr), code: req.code, resources: new Map() };
  const ext = req.extFields;
  if (!ext) return out;
  out.accessKey = ext[ACL_ACCESS_KEY];
  out.signature = ext[ACL_SIGNATURE];
  out.securityToken = ext[ACL_SECURITY_TOKEN];
  const r = out.resources;
  try {
    switch (req.code) {
      case RequestCode.SEND_MESSAGE: {
        const topic = ext.topic;
        if (topic !== undefined && isRetryTopic(topic)) add(r, group(ext.group), Perm.SUB);
        else add(r, topic, Perm.PUB);
        break;
      }
      // Batch sends use the V2 header; RocketMQ 4.9 checks nothing for them, which would let a DENY topic
      // be written through a batch, so they are checked like SEND_MESSAGE_V2 here.
      case RequestCode.SEND_MESSAGE_V2:
      case RequestCode.SEND_BATCH_MESSAGE: {
        const topic = ext.b;
        if (topic !== undefined && isRetryTopic(topic)) add(r, group(ext.a), Perm.SUB);
        else add(r, topic, Perm.PUB);
        break;
      }
      case RequestCode.CONSUMER_SEND_MSG_BACK:
        add(r, group(ext.group), Perm.SUB);
        break;
      case RequestCode.PULL_MESSAGE:
        add(r, ext.topic, Perm.SUB);
        add(r, group(ext.consumerGroup), Perm.SUB);
        break;
      case RequestCode.QUERY_MESSAGE:
        add(r, ext.topic, Perm.SUB);
        break;
      case RequestCode.HEART_BEAT: {
        const hb = decodeHeartbeatData(req.body ?? Buffer.alloc(0));
        for (const c of hb.consumerDataSet) {
          add(r, group(c.groupName), Perm.SUB);
          for (const s of c.subscriptionDataSet) add(r, s.topic, Perm.SUB);
        }
        break;
      }
      case RequestCode.UNREGISTER_CLIENT:
      case RequestCode.GET_CONSUMER_LIST_BY_GROUP:
        add(r, group(ext.consumerGroup), Perm.SUB);
        break;
      case RequestCode.UPDATE_CONSUMER_OFFSET:
        add(r, group(ext.consumerGroup), Perm.SUB);
        add(r, ext.topic, Perm.SUB);
        break;
    }
  } catch (err) {
    throw new AclError((err as Error).message);
  }
  return out;
}
