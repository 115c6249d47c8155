export { type LocalBroker, LocalRemotingClient } from './local-remoting-client.js';
export {
  type EmbeddingBroker,
  ProxyServer,
  type ProxyServerOptions,
  startLocalProxy,
} from './proxy-server.js';
