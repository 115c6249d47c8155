// The shapes the pages read (the same objects as the mq commands' --json).

export interface BrokerRow {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  addr: string;
  version: string;
  inTps: number;
  outTps: number;
  hours: number;
  space: number;
  error?: string;
}

export interface ClusterInfo {
  brokerAddrTable: Record<
    string,
    { cluster: string; brokerName: string; brokerAddrs: Record<string, string> }
  >;
  clusterAddrTable: Record<string, string[]>;
}

export interface QueueProgress {
  topic: string;
  brokerName: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  clientIp?: string | null;
  diff: number;
  lastTimestamp: number;
}

export interface GroupSummary {
  group: string;
  count: number;
  versionDesc: string;
  consumeType: string;
  messageModel: string;
  consumeTps: number;
  diffTotal: number;
}

export interface MessageView {
  msgId: string;
  offsetMsgId?: string;
  topic: string;
  tags?: string;
  keys?: string;
  queueId: number;
  queueOffset: number;
  storeTimestamp: number;
  bornTimestamp: number;
  bornHost?: string;
  storeHost?: string;
  properties: Record<string, string>;
  body: string;
  bodyBase64: string;
  bodyLength: number;
  reconsumeTimes?: number;
}
