import { createRequest, type RemotingCommand } from '../remoting-command.js';
import { RequestCode } from '../request-code.js';
import { expectCode } from '../response-error.js';

// UPDATE_NAMESRV_CONFIG (318) and GET_NAMESRV_CONFIG (319): bodies are Java properties text (k=v lines).

export function propertiesToText(props: Record<string, string>): string {
  return Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** Parses `k=v` lines (blank lines and # / ! comments skipped; `:` also separates like java.util.Properties). */
export function parsePropertiesText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t || t.startsWith('#') || t.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(t);
    if (m) out[m[1]] = m[2];
    else out[t] = '';
  }
  return out;
}

export function buildUpdateNamesrvConfigRequest(props: Record<string, string>): RemotingCommand {
  return createRequest(
    RequestCode.UPDATE_NAMESRV_CONFIG,
    undefined,
    Buffer.from(propertiesToText(props), 'utf8'),
  );
}

export function parseUpdateNamesrvConfigResponse(resp: RemotingCommand): void {
  expectCode(resp, 'UPDATE_NAMESRV_CONFIG');
}

export function buildGetNamesrvConfigRequest(): RemotingCommand {
  return createRequest(RequestCode.GET_NAMESRV_CONFIG);
}

export function parseGetNamesrvConfigResponse(resp: RemotingCommand): Record<string, string> {
  expectCode(resp, 'GET_NAMESRV_CONFIG');
  return resp.body ? parsePropertiesText(resp.body.toString('utf8')) : {};
}
