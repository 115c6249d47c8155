import { Flags } from '@oclif/core';
import { AdminCommand, parseIntOpt } from '../cli/format/admin-command.js';
import { prettyBean } from '../cli/format/pretty-json.js';
import { queryCq } from '../engine/admin/queue-ops.js';
import type { ConsumeQueueData } from '../engine/protocol/bodies/query-consume-queue.js';

const RULE = '======================================\n';

/** ConsumeQueueData.toString(). */
function entryText(d: ConsumeQueueData): string {
  return (
    `ConsumeQueueData{physicOffset=${d.physicOffset}, physicSize=${d.physicSize}, tagsCode=${d.tagsCode}, ` +
    `extendDataJson='${d.extendDataJson ?? null}', bitMap='${d.bitMap ?? null}', eval=${d.eval}, msg='${d.msg ?? null}'}`
  );
}

export default class QueryCq extends AdminCommand<typeof QueryCq> {
  static override summary = 'Print the raw consume-queue entries of one queue.';
  static override description =
    "Raw consume-queue entries of one queue (QUERY_CONSUME_QUEUE): each entry's commit-log offset, size " +
    "and tags hash code from index -i on, the queue's min and max index and, with -g, the group's " +
    "subscription and whether its tag filter passes each entry (eval). Without -b, the topic's first master.";
  static override examples = [
    '<%= config.bin %> queryCq -t TopicTest -q 0 -i 0 -c 5',
    '<%= config.bin %> queryCq -t TopicTest -q 0 -i 100 -g myGroup -b 127.0.0.1:10911 --json',
  ];
  static override flags = {
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
    queue: Flags.string({ char: 'q', description: 'queue num, ie. 1', required: true }),
    index: Flags.string({ char: 'i', description: 'start queue index.', required: true }),
    count: Flags.string({ char: 'c', description: 'how many.' }),
    broker: Flags.string({ char: 'b', description: 'broker addr.' }),
    consumer: Flags.string({ char: 'g', description: 'consumer group.' }),
  };

  async run() {
    const f = this.flags;
    const index = parseIntOpt(f.index, 'i')!;
    const res = await this.withAdmin((a) =>
      queryCq(a, {
        topic: f.topic.trim(),
        queueId: parseIntOpt(f.queue, 'q')!,
        index,
        count: parseIntOpt(f.count, 'c') ?? 10,
        brokerAddr: f.broker?.trim() || undefined,
        group: f.consumer?.trim(),
      }),
    );
    let text = '';
    if (res.subscriptionData) text += `Subscription data: \n${prettyBean(res.subscriptionData)}\n${RULE}`;
    if (res.filterData !== undefined) text += `Filter data: \n${res.filterData}\n${RULE}`;
    text += `Queue data: \nmax: ${res.maxQueueIndex}, min: ${res.minQueueIndex}\n${RULE}`;
    let i = index;
    for (const d of res.queueData ?? []) text += `idx: ${i++}\n${entryText(d)}\n${RULE}`;
    this.out(text);
    return res;
  }
}
