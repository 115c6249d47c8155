export { type LocalBroker, LocalRemotingClient } from './local-remoting-client.js';
export { ProxyServer, type ProxyServerOptions } from './proxy-server.js';
