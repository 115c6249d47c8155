/**
 * A refused request or a bad ACL definition. The message carries Java's exception class name in front, so
 * the SYSTEM_ERROR remark a refused client sees reads like an Apache broker's (its Throwable.toString()).
 */
export class AclError extends Error {
  /** The reason alone, without the Java class prefix. */
  readonly reason: string;

  constructor(reason: string) {
    super(`org.apache.rocketmq.acl.common.AclException: ${reason}`);
    this.name = 'AclError';
    this.reason = reason;
  }
}
