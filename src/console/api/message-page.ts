// /message/queryMessagePageByTopic.query: a topic's messages in a time range, one page at a time, so a range
// of any size can be walked (queryMessageByTopic.query stops at 2,000 per queue). As in the dashboard, the
// first call (no taskId) fixes each queue's offset range [searchOffset(begin), searchOffset(end)) — the range
// `mq printMsg -b -e` reads — and keeps it under a taskId; later pages name the taskId and read only the
// offsets of that page (queues in broker name and queue id order, each in offset order).
import { randomUUID } from 'node:crypto';
import { selectBrokerAddr } from '../../engine/admin/admin-client.js';
import { AdminError } from '../../engine/admin/errors.js';
import { type MessageView, toView } from '../../engine/admin/message-ops.js';
import type { MessageQueueData } from '../../engine/protocol/bodies/message-queue-key.js';
import type { ConsoleContext } from '../context.js';
import { BadRequest } from '../envelope.js';
import { jsonBody, type Route } from '../http.js';
import { numberOf, stringOf } from './body-fields.js';

interface QueueRange {
  mq: MessageQueueData;
  addr: string;
  start: number;
  end: number;
}

interface PageTask {
  topic: string;
  begin: number;
  end: number;
  queues: QueueRange[];
  total: number;
  expires: number;
}

/** Spring Data's Page as the dashboard's MessagePage carries it (number is 0-based). */
export interface MessagePage {
  page: {
    content: MessageView[];
    number: number;
    size: number;
    totalElements: number;
    totalPages: number;
    numberOfElements: number;
    first: boolean;
    last: boolean;
  };
  taskId: string;
}

const TASK_TTL_MS = 30 * 60_000;
const MAX_TASKS = 200;
const MAX_PAGE_SIZE = 1000;

export class MessagePageTasks {
  private readonly tasks = new Map<string, PageTask>();

  constructor(private readonly ctx: ConsoleContext) {}

  private async create(topic: string, begin: number, end: number): Promise<PageTask> {
    const admin = this.ctx.admin;
    const route = await admin.examineTopicRouteInfo(topic);
    const queues: QueueRange[] = [];
    for (const qd of [...route.queueDatas].sort((a, b) => (a.brokerName < b.brokerName ? -1 : 1))) {
      const bd = route.brokerDatas.find((b) => b.brokerName === qd.brokerName);
      const addr = bd && selectBrokerAddr(bd);
      if (!addr) throw new AdminError(`broker ${qd.brokerName} of topic ${topic} has no address`);
      for (let queueId = 0; queueId < qd.readQueueNums; queueId++) {
        const mq = { topic, brokerName: qd.brokerName, queueId };
        const start = await admin.searchOffset(addr, mq, begin);
        const stop = await admin.searchOffset(addr, mq, end);
        if (stop > start) queues.push({ mq, addr, start, end: stop });
      }
    }
    const total = queues.reduce((s, q) => s + q.end - q.start, 0);
    return { topic, begin, end, queues, total, expires: Date.now() + TASK_TTL_MS };
  }

  private remember(task: PageTask): string {
    const now = Date.now();
    for (const [id, t] of this.tasks) if (t.expires < now) this.tasks.delete(id);
    while (this.tasks.size >= MAX_TASKS) this.tasks.delete(this.tasks.keys().next().value as string);
    const id = randomUUID();
    this.tasks.set(id, task);
    return id;
  }

  /** Reads `count` messages from the `skip`-th offset of the task's concatenated ranges. */
  private async read(task: PageTask, skip: number, count: number): Promise<MessageView[]> {
    const out: MessageView[] = [];
    for (const q of task.queues) {
      if (out.length >= count) break;
      const size = q.end - q.start;
      if (skip >= size) {
        skip -= size;
        continue;
      }
      let offset = q.start + skip;
      skip = 0;
      while (offset < q.end && out.length < count) {
        const want = Math.min(32, q.end - offset, count - out.length);
        const pr = await this.ctx.admin.pull(q.addr, q.mq, '*', offset, want);
        if (pr.status !== 'FOUND') {
          if (pr.status === 'NO_MATCHED_MSG' && pr.nextBeginOffset > offset) {
            offset = pr.nextBeginOffset;
            continue;
          }
          break; // the range was cleaned or moved (OFFSET_ILLEGAL, NO_NEW_MSG): the rest of the queue is gone
        }
        for (const r of pr.messages)
          if (r.queueOffset >= offset && r.queueOffset < q.end && out.length < count)
            out.push(toView(r, q.mq.brokerName));
        if (pr.nextBeginOffset <= offset) break;
        offset = pr.nextBeginOffset;
      }
    }
    return out;
  }

  async page(b: Record<string, unknown>): Promise<MessagePage> {
    const pageNum = numberOf(b, 'pageNum', 1);
    const pageSize = numberOf(b, 'pageSize', 20);
    if (pageNum < 1) throw new BadRequest(`'pageNum' starts at 1, got ${pageNum}`);
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE)
      throw new BadRequest(`'pageSize' must be 1..${MAX_PAGE_SIZE}, got ${pageSize}`);
    const taskIdIn = typeof b.taskId === 'string' && b.taskId.trim() ? b.taskId.trim() : undefined;
    let task: PageTask | undefined;
    let taskId: string;
    if (taskIdIn) {
      task = this.tasks.get(taskIdIn);
      if (!task || task.expires < Date.now())
        throw new AdminError(`query task ${taskIdIn} has expired or is unknown: query again without taskId`);
      task.expires = Date.now() + TASK_TTL_MS;
      taskId = taskIdIn;
    } else {
      const topic = stringOf(b, 'topic');
      const begin = numberOf(b, 'begin', 0);
      const end = numberOf(b, 'end', Date.now());
      if (end < begin) throw new BadRequest(`end (${end}) is before begin (${begin})`);
      task = await this.create(topic, begin, end);
      taskId = this.remember(task);
    }
    const content = await this.read(task, (pageNum - 1) * pageSize, pageSize);
    const totalPages = Math.ceil(task.total / pageSize);
    return {
      page: {
        content,
        number: pageNum - 1,
        size: pageSize,
        totalElements: task.total,
        totalPages,
        numberOfElements: content.length,
        first: pageNum === 1,
        last: pageNum >= totalPages,
      },
      taskId,
    };
  }
}

export function messagePageRoutes(ctx: ConsoleContext): Route[] {
  const tasks = new MessagePageTasks(ctx);
  return [
    {
      method: 'POST',
      path: '/message/queryMessagePageByTopic.query',
      // The dashboard's MessageQuery body: {topic, begin, end, pageNum (1-based), pageSize, taskId}.
      handler: (req) => tasks.page(jsonBody(req)),
    },
  ];
}
