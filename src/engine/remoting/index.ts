export { type AclCredentials, aclClientHook, checkCredentials } from './acl-client-hook.js';
export { Channel, RemotingConnectError, RemotingTimeoutError } from './channel.js';
export { formatAddr, parseNamesrvAddr, splitHostPort } from './namesrv-addr.js';
export type { RequestProcessor, RpcHook } from './processor-table.js';
export { RemotingClient, type RemotingClientOptions } from './remoting-client.js';
export { RemotingServer, type RemotingServerOptions } from './remoting-server.js';
export { clientTls, clientTlsOptions } from './tls/client-tls.js';
export { ServerTls } from './tls/server-tls.js';
export { loadTlsSettings, TlsConfigError, type TlsServerMode, type TlsSettings } from './tls/tls-config.js';
