import { join } from 'node:path';
import { tempDir } from '../helpers/servers.js';

/**
 * Imported first by sdk-tls.test: the SDK's `sslEnabled` channels trust grpc-js's default roots, which
 * GRPC_DEFAULT_SSL_ROOTS_FILE_PATH replaces; grpc-js reads the variable when it loads (the file later).
 */
process.env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH = join(tempDir('mq-proxy-sdk-tls-'), 'roots.pem');
