// The version names live with the protocol (servers name client versions too).
export { versionDesc } from '../protocol/mq-version.js';
