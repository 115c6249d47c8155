import type { Logger } from '../../common/logger.js';
import { newTopicConfig, type TopicConfig } from '../../protocol/bodies/topic-config.js';

/**
 * A slave serves every topic it holds messages for, at once: a topic its copy of the master's topic config
 * lacks (the copy is fetched every 10 s, so a topic created just before the master died would otherwise
 * stay unreadable here for good) is added from the slave's own consume queues, on start and as messages
 * are dispatched. The master's copy replaces these entries when it arrives.
 */
export class SlaveTopicLearner {
  /** Entries this learner made (by identity: the master's copy replaces the table's objects). */
  private readonly learned = new Map<string, TopicConfig>();

  constructor(
    private readonly topics: { table: Map<string, TopicConfig> },
    private readonly log: Logger,
  ) {}

  /** A message of `topic` in queue `queueId` is stored here (dispatch listener; must stay cheap). */
  seen(topic: string, queueId: number): void {
    const tc = this.topics.table.get(topic);
    if (tc) {
      // Queue numbers are the master's to set, except in entries this learner made.
      if (queueId < tc.readQueueNums || this.learned.get(topic) !== tc) return;
      tc.readQueueNums = tc.writeQueueNums = queueId + 1;
      return;
    }
    const learned = newTopicConfig(topic, { readQueueNums: queueId + 1, writeQueueNums: queueId + 1 });
    this.topics.table.set(topic, learned);
    this.learned.set(topic, learned);
    this.log.info(
      { topic, queues: queueId + 1 },
      "slave serves a topic from its consume queues (not yet in its copy of the master's topic config)",
    );
  }

  /** Every topic of the store's consume queues (at start). */
  seenAll(queueTopics: Map<string, number>): void {
    for (const [topic, queues] of queueTopics) this.seen(topic, queues - 1);
  }
}
