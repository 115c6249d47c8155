import { join } from 'node:path';
import type { Logger } from '../../common/logger.js';
import { type DataVersion, newDataVersion, nextDataVersion } from '../../protocol/bodies/data-version.js';
import {
  newTopicConfig,
  type TopicConfig,
  type TopicConfigWrapperOut,
  topicConfigWrapperBean,
  topicConfigWrapperFromObject,
} from '../../protocol/bodies/topic-config.js';
import { scanTopicConfigTable } from '../../protocol/bodies/topic-table-scan.js';
import { parseFastjson, toFastjson } from '../../protocol/fastjson.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { ConfigFile } from '../config-file.js';
import { isInherited, Perm } from '../perm.js';
import { TIMER_TOPIC } from '../timer/timer-send.js';
import {
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  RMQ_SYS_BENCHMARK_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT,
  RMQ_SYS_SCHEDULE_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
} from './topic-validator.js';

/** SCHEDULE_TOPIC_XXXX has one queue per delay level (18 by default). */
export const SCHEDULE_TOPIC_QUEUE_NUM = 18;

/**
 * The broker's topic table (TopicConfigManager): system topics created at boot as RocketMQ does, user
 * topics from `config/topics.json`, auto-creation from the TBW102 template, and the DataVersion the name
 * servers compare. `onChange` fires after a topic is created or updated so the broker can re-register.
 */
export class TopicConfigManager extends ConfigFile {
  readonly table = new Map<string, TopicConfig>();
  readonly systemTopics = new Set<string>();
  dataVersion: DataVersion = newDataVersion();
  onChange: (tc: TopicConfig, viaSend: boolean) => void = () => {};

  constructor(
    private readonly config: BrokerConfig,
    log: Logger,
    /** Queue numbers of the TBW102 template (defaultRead/WriteQueueNums, else defaultTopicQueueNums). */
    template: { read: number; write: number },
  ) {
    super(log);
    const sys = (name: string, init: Partial<TopicConfig> = {}) => {
      this.systemTopics.add(name);
      this.table.set(name, newTopicConfig(name, init));
    };
    sys(RMQ_SYS_SELF_TEST_TOPIC, { readQueueNums: 1, writeQueueNums: 1 });
    if (config.autoCreateTopicEnable) {
      sys(AUTO_CREATE_TOPIC_KEY_TOPIC, {
        readQueueNums: template.read,
        writeQueueNums: template.write,
        perm: Perm.INHERIT | Perm.READ | Perm.WRITE,
      });
    }
    sys(RMQ_SYS_BENCHMARK_TOPIC, { readQueueNums: 1024, writeQueueNums: 1024 });
    sys(config.brokerClusterName, { perm: Perm.INHERIT | Perm.READ | Perm.WRITE });
    sys(config.brokerName, {
      readQueueNums: 1,
      writeQueueNums: 1,
      perm: Perm.INHERIT | Perm.READ | Perm.WRITE,
    });
    sys(RMQ_SYS_OFFSET_MOVED_EVENT, { readQueueNums: 1, writeQueueNums: 1 });
    sys(RMQ_SYS_SCHEDULE_TOPIC, {
      readQueueNums: SCHEDULE_TOPIC_QUEUE_NUM,
      writeQueueNums: SCHEDULE_TOPIC_QUEUE_NUM,
    });
    sys(`${config.brokerClusterName}_REPLY_TOPIC`, { readQueueNums: 1, writeQueueNums: 1 });
    // Java creates these two on first use; creating them at boot makes them visible to admin tools at once.
    sys(RMQ_SYS_TRANS_HALF_TOPIC, { readQueueNums: 1, writeQueueNums: 1 });
    sys(RMQ_SYS_TRANS_OP_HALF_TOPIC, { readQueueNums: 1, writeQueueNums: 1 });
    // RocketMQ 5 timer messages wait here (TimerMessageStore.TIMER_TOPIC).
    if (config.timerWheelEnable) sys(TIMER_TOPIC, { readQueueNums: 1, writeQueueNums: 1 });
    // Message trace records from clients with trace on (enableMsgTrace) land here.
    if (config.traceTopicEnable && config.msgTraceTopicName)
      sys(config.msgTraceTopicName, { readQueueNums: 1, writeQueueNums: 1 });
  }

  configFilePath(): string {
    return join(this.config.storePathRootDir, 'config', 'topics.json');
  }

  encode(): string {
    return toFastjson(topicConfigWrapperBean(this.wrapper()));
  }

  decode(text: string): void {
    const fast = scanTopicConfigTable(text);
    if (fast) {
      for (const [name, tc] of fast.table) this.table.set(name, tc);
      this.dataVersion = fast.dataVersion ?? newDataVersion();
      return;
    }
    const w = topicConfigWrapperFromObject(parseFastjson(text));
    for (const [name, tc] of Object.entries(w.topicConfigTable)) this.table.set(name, tc);
    this.dataVersion = w.dataVersion;
  }

  /** The table (live, not a copy) and its DataVersion, to encode. */
  wrapper(): TopicConfigWrapperOut {
    return { topicConfigTable: this.table, dataVersion: this.dataVersion };
  }

  select(topic: string): TopicConfig | undefined {
    return this.table.get(topic);
  }

  isOrderTopic(topic: string): boolean {
    return this.table.get(topic)?.order === true;
  }

  /** Auto-create `topic` from `defaultTopic` for a send; undefined when not allowed (→ TOPIC_NOT_EXIST). */
  createInSendMessage(
    topic: string,
    defaultTopic: string,
    remoteAddr: string,
    clientDefaultQueueNums: number,
    topicSysFlag: number,
  ): TopicConfig | undefined {
    const existing = this.table.get(topic);
    if (existing) return existing;
    const template = this.table.get(defaultTopic);
    if (!template) {
      this.log.warn(
        { topic, defaultTopic, remoteAddr },
        'create topic failed: the default topic does not exist',
      );
      return undefined;
    }
    if (defaultTopic === AUTO_CREATE_TOPIC_KEY_TOPIC && !this.config.autoCreateTopicEnable) {
      template.perm = Perm.READ | Perm.WRITE;
    }
    if (!isInherited(template.perm)) {
      this.log.warn(
        { topic, defaultTopic, perm: template.perm },
        'create topic failed: default topic lacks INHERIT',
      );
      return undefined;
    }
    const queueNums = Math.max(0, Math.min(clientDefaultQueueNums, template.writeQueueNums));
    const tc = newTopicConfig(topic, {
      readQueueNums: queueNums,
      writeQueueNums: queueNums,
      perm: template.perm & ~Perm.INHERIT,
      topicSysFlag,
      topicFilterType: template.topicFilterType,
    });
    this.log.info({ topic, defaultTopic, remoteAddr, queueNums }, 'auto create topic');
    this.put(tc, true);
    return tc;
  }

  /** Create a retry/DLQ topic on demand (createTopicInSendMessageBackMethod). */
  createInSendMessageBack(topic: string, queueNums: number, perm: number, topicSysFlag = 0): TopicConfig {
    const existing = this.table.get(topic);
    if (existing) return existing;
    const tc = newTopicConfig(topic, {
      readQueueNums: queueNums,
      writeQueueNums: queueNums,
      perm,
      topicSysFlag,
    });
    this.log.info({ topic, queueNums, perm }, 'create retry/DLQ topic');
    this.put(tc, true);
    return tc;
  }

  /** UPDATE_AND_CREATE_TOPIC. */
  update(tc: TopicConfig): void {
    this.put(tc, false);
  }

  delete(topic: string): boolean {
    if (!this.table.delete(topic)) return false;
    this.dataVersion = nextDataVersion(this.dataVersion);
    this.persist();
    return true;
  }

  private put(tc: TopicConfig, viaSend: boolean): void {
    this.table.set(tc.topicName, tc);
    this.dataVersion = nextDataVersion(this.dataVersion);
    this.persist();
    this.onChange(tc, viaSend);
  }
}
