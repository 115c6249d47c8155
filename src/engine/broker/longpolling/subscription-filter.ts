import type { SubscriptionData } from '../../protocol/bodies/heartbeat-data.js';
import { javaHashCode } from '../../protocol/message/index.js';
import type { TagsCodeFilter } from '../broker-store.js';

/** FilterAPI.build: a TAG expression (`*`, `a || b`) into SubscriptionData; throws on an unusable one. */
export function buildSubscriptionData(
  topic: string,
  subString: string | undefined,
  expressionType?: string,
): SubscriptionData {
  const type = expressionType || 'TAG';
  const sub: SubscriptionData = {
    topic,
    subString: subString || '*',
    classFilterMode: false,
    tagsSet: [],
    codeSet: [],
    subVersion: Date.now(),
    expressionType: type,
  };
  if (type !== 'TAG') return sub;
  if (!subString || subString.trim() === '' || subString === '*') {
    sub.subString = '*';
    return sub;
  }
  for (const tag of subString.split('||')) {
    const t = tag.trim();
    if (t.length > 0) {
      sub.tagsSet.push(t);
      sub.codeSet.push(javaHashCode(t));
    }
  }
  if (sub.tagsSet.length === 0) throw new Error(`subscription '${subString}' has no tags`);
  return sub;
}

/** ExpressionMessageFilter.isMatchedByConsumeQueue for TAG subscriptions. */
export function tagsFilter(sub: SubscriptionData | undefined): TagsCodeFilter | undefined {
  if (!sub || sub.classFilterMode || sub.expressionType !== 'TAG' || sub.subString === '*') return undefined;
  const codes = new Set(sub.codeSet.map((c) => c | 0));
  return (tagsCode: number) => codes.has(Number(BigInt.asIntN(32, BigInt(tagsCode))));
}
