// The v2 messages as @grpc/proto-loader hands them over (keepCase, enums as names, int64 as numbers,
// defaults filled in). Only the fields mq reads or writes are typed.

export interface Resource {
  resource_namespace?: string;
  name: string;
}
export interface Timestamp {
  seconds: number;
  nanos: number;
}
export interface Duration {
  seconds: number;
  nanos: number;
}
export interface Address {
  host: string;
  port: number;
}
export interface Endpoints {
  scheme: string;
  addresses: Address[];
}
export interface Digest {
  type: string;
  checksum: string;
}
export interface SystemProperties {
  tag?: string;
  keys: string[];
  message_id: string;
  body_digest?: Digest;
  body_encoding: string;
  message_type: string;
  born_timestamp?: Timestamp | null;
  born_host: string;
  store_timestamp?: Timestamp | null;
  store_host: string;
  delivery_timestamp?: Timestamp | null;
  receipt_handle?: string;
  queue_id: number;
  queue_offset?: number;
  invisible_duration?: Duration | null;
  delivery_attempt?: number;
  message_group?: string;
  trace_context?: string;
  orphaned_transaction_recovery_duration?: Duration | null;
}
export interface Message {
  topic: Resource;
  user_properties: Record<string, string>;
  system_properties: SystemProperties;
  body: Buffer;
}
export interface MessageQueue {
  topic: Resource;
  id: number;
  permission: string;
  broker: { name: string; id: number; endpoints: Endpoints };
  accept_message_types: string[];
}
export interface FilterExpression {
  type: string;
  expression: string;
}

export const toMillis = (t: Timestamp | Duration | null | undefined): number =>
  t ? Number(t.seconds) * 1000 + Math.floor(Number(t.nanos) / 1e6) : 0;

export const timestamp = (ms: number): Timestamp => ({
  seconds: Math.floor(ms / 1000),
  nanos: (ms % 1000) * 1e6,
});
export const duration = timestamp;
