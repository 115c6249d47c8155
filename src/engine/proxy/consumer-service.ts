import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { ServiceContext } from './messaging-service.js';

/** ReceiveMessage / AckMessage / ChangeInvisibleDuration / ForwardMessageToDeadLetterQueue over POP. */
export function consumerService(_ctx: Omit<ServiceContext, 'extra'>): UntypedServiceImplementation {
  return {};
}
