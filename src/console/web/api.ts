// The console's own HTTP API: every answer is the dashboard's {status, data, errMsg} envelope.

export class ApiError extends Error {}

async function unwrap<T>(res: Response, path: string): Promise<T> {
  let env: { status: number; data: T; errMsg: string | null };
  try {
    env = (await res.json()) as typeof env;
  } catch {
    throw new ApiError(`${path}: HTTP ${res.status}`);
  }
  if (env.status !== 0) throw new ApiError(env.errMsg ?? `${path}: status ${env.status}`);
  return env.data;
}

export async function get<T>(
  path: string,
  params: Record<string, string | number | boolean> = {},
): Promise<T> {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const url = q ? `${path}?${q}` : path;
  return unwrap<T>(await fetch(url), path);
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return unwrap<T>(
    await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    path,
  );
}

export async function postForm<T>(path: string, fields: Record<string, string>): Promise<T> {
  return unwrap<T>(
    await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }),
    path,
  );
}

export function showError(err: unknown): void {
  const box = document.getElementById('error')!;
  box.textContent = err instanceof Error ? err.message : String(err);
  box.hidden = false;
}

export function clearError(): void {
  const box = document.getElementById('error')!;
  box.hidden = true;
  box.textContent = '';
}
