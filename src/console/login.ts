// Optional login, as the dashboard's users.properties: `user=password` or `user=password,1` (1 = admin).
// Checked as HTTP Basic authentication on every request (pages, API, /metrics); only admins may call the
// write (POST) routes, other users read.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';

export interface ConsoleUser {
  name: string;
  password: string;
  admin: boolean;
}

export type Users = Map<string, ConsoleUser>;

/** Parses the file; a line that is not `user=password[,0|1]` stops the console naming file and line. */
export function loadUsers(file: string): Users {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`login file ${file}: ${(err as Error).message}`);
  }
  const users: Users = new Map();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) return;
    const m = /^([^=:\s]+)\s*[=:]\s*([^,]*)(?:,\s*([01]))?\s*$/.exec(line);
    if (!m?.[2])
      throw new Error(
        `login file ${file}:${i + 1}: expected user=password or user=password,1 (admin), got ${JSON.stringify(line)}`,
      );
    users.set(m[1]!, { name: m[1]!, password: m[2], admin: m[3] === '1' });
  });
  if (users.size === 0) throw new Error(`login file ${file}: no users`);
  return users;
}

/** The user the request's Basic credentials name, or undefined when they are missing or wrong. */
export function authenticate(users: Users, req: IncomingMessage): ConsoleUser | undefined {
  const h = req.headers.authorization ?? '';
  const m = /^Basic\s+(\S+)$/i.exec(h);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  const u = users.get(decoded.slice(0, i));
  return u && u.password === decoded.slice(i + 1) ? u : undefined;
}
