import { encodeRegisterBrokerBodyAsync } from '../../protocol/bodies/register-broker-body.js';
import {
  type TopicConfigWrapperOut,
  type TopicTable,
  topicTableEntries,
  topicTableSize,
} from '../../protocol/bodies/topic-config.js';
import { MAX_FRAME_LENGTH } from '../../protocol/frame-codec.js';

/** Room left in a frame for the header (a REGISTER_BROKER header is well under 1 KB). */
const HEADER_ROOM = 64 * 1024;
/** Largest body sent in one REGISTER_BROKER: a bigger frame is refused by the name server (ours and Java's). */
export const MAX_REGISTER_BODY = MAX_FRAME_LENGTH - HEADER_ROOM;

export interface RegistrationParts {
  bodies: Buffer[];
  /** Why the table went in parts: 'configured' (enableSplitRegistration) or 'too big' for one frame. */
  split?: 'configured' | 'too big';
  /** Size of the single body that did not fit (when split is 'too big'). */
  wholeBytes?: number;
}

export interface SplitOptions {
  compressed: boolean;
  enableSplitRegistration: boolean;
  splitRegistrationSize: number;
  /** Test seam for the frame limit; default MAX_REGISTER_BODY. */
  maxBody?: number;
}

/**
 * The registration bodies for one round, encoded once for every name server. RocketMQ 5 splits the topic
 * table into parts of splitRegistrationSize topics when enableSplitRegistration is on; beyond that, a table
 * whose single body would not fit in a frame (100,000 topics are 18 MB uncompressed, the frame limit 16 MB)
 * goes in as many parts as it takes instead of never registering. Each part carries the table's
 * DataVersion; the name server adds the topics of a part it has not seen (RouteInfoManager 5.x).
 */
export async function registrationParts(
  wrapper: TopicConfigWrapperOut,
  opts: SplitOptions,
): Promise<RegistrationParts> {
  const encode = (topicConfigTable: TopicTable) =>
    encodeRegisterBrokerBodyAsync(
      {
        topicConfigSerializeWrapper: { topicConfigTable, dataVersion: wrapper.dataVersion },
        filterServerList: [],
      },
      opts.compressed,
    );
  // Entries only when splitting: at 100,000 topics each copy of the table is ~10 MB of garbage.
  const chunked = async (size: number) => {
    const entries = topicTableEntries(wrapper.topicConfigTable);
    const bodies: Buffer[] = [];
    for (let i = 0; i < entries.length; i += size)
      bodies.push(await encode(new Map(entries.slice(i, i + size))));
    return bodies;
  };
  const count = topicTableSize(wrapper.topicConfigTable);
  if (opts.enableSplitRegistration && count >= opts.splitRegistrationSize)
    return { bodies: await chunked(opts.splitRegistrationSize), split: 'configured' };
  const whole = await encode(wrapper.topicConfigTable);
  const max = opts.maxBody ?? MAX_REGISTER_BODY;
  if (whole.length <= max) return { bodies: [whole] };
  // Aim at half the limit per part so topics with longer names than average still fit.
  const parts = Math.ceil(whole.length / (max / 2));
  return {
    bodies: await chunked(Math.ceil(count / parts)),
    split: 'too big',
    wholeBytes: whole.length,
  };
}
