/** mq's own version. */
export const MQ_VERSION = '0.1.0';
/** MQVersion ordinal we put in every frame (V4_9_8): Java peers key behaviour off it (protocol.md §1.7). */
export const REMOTING_VERSION = 409;
