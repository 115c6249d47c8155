import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { jformat } from '../cli/format/printf.js';
import { formatDate } from '../cli/format/time.js';
import { queryMsgTraceById, type TraceView } from '../engine/admin/trace-ops.js';
import { javaHashMapHash, javaHashOrder } from '../engine/protocol/java-hashmap-order.js';

const ROW = '%-10s %-20s %-20s %-20s %-10s %-10s%n';

/** QueryMsgTraceByIdSubCommand.printMessageTrace: each Pub trace with its header, then Sub traces per group. */
export function traceText(traces: TraceView[]): string {
  let out = '';
  const row = (type: string, t: TraceView) =>
    jformat(ROW, type, t.groupName, t.clientHost, formatDate(t.timeStamp), `${t.costTime}ms`, t.status);
  const byGroup = new Map<string, TraceView[]>();
  for (const t of traces) {
    if (t.msgType === 'Pub') {
      out += jformat(ROW, '#Type', '#ProducerGroup', '#ClientHost', '#SendTime', '#CostTimes', '#Status');
      out += `${row('Pub', t)}\n`;
    }
    if (t.msgType === 'SubAfter') {
      const list = byGroup.get(t.groupName);
      if (list) list.push(t);
      else byGroup.set(t.groupName, [t]);
    }
  }
  // Java walks a HashMap of groups: its iteration order.
  for (const group of javaHashOrder([...byGroup.keys()], javaHashMapHash)) {
    out += jformat(ROW, '#Type', '#ConsumerGroup', '#ClientHost', '#ConsumerTime', '#CostTimes', '#Status');
    for (const t of byGroup.get(group)!) out += row('Sub', t);
    out += '\n';
  }
  return out;
}

export default class QueryMsgTraceById extends AdminCommand<typeof QueryMsgTraceById> {
  static override summary = "Show a message's trace: who sent it, when, and which groups consumed it.";
  static override description =
    "Shows the trace records clients with message trace on (Java enableMsgTrace) sent for a message: who published it, when, how long it took, and each consumer group that consumed it. The records are found through the trace topic's index by the message id.";
  static override examples = [
    '<%= config.bin %> queryMsgTraceById -i 7F0000010FC918B4AAC2389E12E70000',
    '<%= config.bin %> queryMsgTraceById -i ID -t MyTraceTopic --json',
  ];
  static override flags = {
    msgId: Flags.string({ char: 'i', description: 'Message Id', required: true }),
    traceTopic: Flags.string({ char: 't', description: 'The name value of message trace topic' }),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      queryMsgTraceById(a, f.msgId.trim(), f.traceTopic?.trim() || undefined),
    );
    this.out(traceText(res.traces));
    return res;
  }
}
