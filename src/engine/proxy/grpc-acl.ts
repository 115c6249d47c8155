import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  status as grpcStatus,
  type Metadata,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import {
  type AccessRequest,
  AclError,
  groupResource,
  hostOfRemote,
  Perm,
  type PlainAccessValidator,
} from '../acl/index.js';
import type { Logger } from '../common/logger.js';
import { peerAddr } from './messaging-service.js';
import { statusOf } from './status.js';

// biome-ignore lint/suspicious/noExplicitAny: proto-loader requests are plain objects
type Req = any;

/** `MQv2-HMAC-SHA1 Credential=<ak>[/...], SignedHeaders=x-mq-date-time, Signature=<hex>` (the 5.x SDKs). */
export interface GrpcAuthorization {
  accessKey: string;
  signature: string;
}

/** Parses the `authorization` metadata as Apache's AuthorizationHeader does; throws AclError when malformed. */
export function parseAuthorization(header: string): GrpcAuthorization {
  const space = header.indexOf(' ');
  if (space < 0) throw new AclError('authorization header is incorrect');
  let accessKey = '';
  let signature = '';
  for (const item of header.slice(space + 1).split(',')) {
    const eq = item.indexOf('=');
    if (eq < 0) throw new AclError(`authorization keyValue is incorrect: ${item.trim()}`);
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === 'Credential') accessKey = value.split('/')[0] ?? '';
    else if (key === 'Signature') signature = value;
  }
  return { accessKey, signature };
}

/** Whether `hexSignature` is the HMAC-SHA1 of `dateTime` with `secretKey` (hex in any case). */
export function dateTimeSigned(dateTime: string, secretKey: string, hexSignature: string): boolean {
  const want = createHmac('sha1', secretKey).update(dateTime, 'utf8').digest();
  const got = /^[0-9a-fA-F]+$/.test(hexSignature) ? Buffer.from(hexSignature, 'hex') : Buffer.alloc(0);
  return got.length === want.length && timingSafeEqual(got, want);
}

const name = (r: { name?: string } | undefined | null): string | undefined => r?.name || undefined;

/**
 * The topics/groups each RPC needs, as Apache's PlainAccessResource.parse(GeneratedMessageV3) reads them
 * (plus ChangeInvisibleDuration, which 5.2+ checks too): sends and transaction ends need PUB on the topic,
 * consumption needs SUB on group and topic; other RPCs need a valid signature only.
 */
export function grpcResources(rpc: string, req: Req): Map<string, number> {
  const out = new Map<string, number>();
  const topic = (t: string | undefined, perm: number) => t && out.set(t, perm);
  const group = (g: string | undefined) => g && out.set(groupResource(g), Perm.SUB);
  switch (rpc) {
    case 'Heartbeat':
      group(name(req.group));
      break;
    case 'SendMessage': {
      const topics = new Set((req.messages ?? []).map((m: Req) => name(m.topic)));
      if (topics.size > 1) throw new AclError("SendMessageRequest, messages' topic is not consistent");
      topic([...topics][0] as string | undefined, Perm.PUB);
      break;
    }
    case 'ReceiveMessage':
      group(name(req.group));
      topic(name(req.message_queue?.topic), Perm.SUB);
      break;
    case 'AckMessage':
    case 'ChangeInvisibleDuration':
    case 'ForwardMessageToDeadLetterQueue':
      group(name(req.group));
      topic(name(req.topic), Perm.SUB);
      break;
    case 'EndTransaction':
      topic(name(req.topic), Perm.PUB);
      break;
    case 'Telemetry': {
      // A settings command: PUB on the topics a producer declares, SUB on a consumer's group and topics.
      const settings = req.settings;
      for (const t of settings?.publishing?.topics ?? []) topic(name(t), Perm.PUB);
      if (settings?.subscription) {
        group(name(settings.subscription.group));
        for (const e of settings.subscription.subscriptions ?? []) topic(name(e.topic), Perm.SUB);
      }
      break;
    }
  }
  return out;
}

const text = (md: Metadata, key: string): string | undefined => {
  const v = md.get(key)[0];
  return v === undefined ? undefined : String(v);
};

/** Checks one call against the plain ACL; throws AclError naming why it is refused. */
export function checkGrpcCall(
  acl: PlainAccessValidator,
  rpc: string,
  req: Req,
  md: Metadata,
  peer: string,
): void {
  const ip = hostOfRemote(peerAddr(peer));
  const header = text(md, 'authorization');
  const auth = header ? parseAuthorization(header) : undefined;
  const dateTime = text(md, 'x-mq-date-time');
  if (auth && dateTime === undefined) throw new AclError('datetime is null.');
  const need: AccessRequest = {
    ip,
    code: -1,
    accessKey: auth?.accessKey || undefined,
    signature: auth?.signature,
    securityToken: text(md, 'x-mq-session-token'),
    resources: req === undefined ? new Map() : grpcResources(rpc, req),
  };
  acl.validateSigned(need, (secretKey) =>
    auth ? dateTimeSigned(dateTime ?? '', secretKey, auth.signature) : false,
  );
}

/**
 * Wraps every handler of the service with the ACL check (Apache's AuthenticationInterceptor). A refused
 * unary or receive call is answered with status UNAUTHORIZED in its response, as Apache's proxy answers
 * AuthenticationException / AuthorizationException; a Telemetry stream is checked on its signature when
 * it opens (a refused one ends with gRPC PERMISSION_DENIED, having no response to carry a status), its
 * settings commands by the service (ServiceContext.authorizeSettings).
 */
export function withAcl(
  impl: UntypedServiceImplementation,
  acl: PlainAccessValidator,
  log: Logger,
): UntypedServiceImplementation {
  const out: UntypedServiceImplementation = {};
  for (const [rpc, handler] of Object.entries(impl)) {
    const h = handler as (...a: unknown[]) => void;
    const report = (err: unknown, peer: string) =>
      log.warn(
        { rpc, peer, err: err instanceof AclError ? err.reason : String(err) },
        'gRPC call refused by ACL',
      );
    if (rpc === 'Telemetry') {
      out[rpc] = (call: ServerDuplexStream<Req, Req>) => {
        try {
          checkGrpcCall(acl, rpc, undefined, call.metadata, call.getPeer());
        } catch (err) {
          report(err, call.getPeer());
          call.emit('error', { code: grpcStatus.PERMISSION_DENIED, details: statusOf(err).message });
          return;
        }
        h(call);
      };
    } else if (rpc === 'ReceiveMessage' || rpc === 'PullMessage') {
      out[rpc] = (call: ServerWritableStream<Req, Req>) => {
        try {
          checkGrpcCall(acl, rpc, call.request, call.metadata, call.getPeer());
        } catch (err) {
          report(err, call.getPeer());
          call.write({ status: statusOf(err) });
          call.end();
          return;
        }
        h(call);
      };
    } else {
      out[rpc] = (call: ServerUnaryCall<Req, Req>, cb: (e: null, r: Req) => void) => {
        try {
          checkGrpcCall(acl, rpc, call.request, call.metadata, call.getPeer());
        } catch (err) {
          report(err, call.getPeer());
          cb(null, { status: statusOf(err) });
          return;
        }
        h(call, cb);
      };
    }
  }
  return out;
}
