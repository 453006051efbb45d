import { Agent, request } from 'node:http';

export interface Answer {
  status: number;
  /** Time from sending the request to the last byte of the answer. */
  ms: number;
  body: string;
  setCookie?: string[];
}

/**
 * Requests to a local service over one keep-alive connection, one at a time, so a benchmark times
 * the server and not connection set-up. Holds the session cookie once logged in.
 */
export class BenchClient {
  readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  cookie = '';

  constructor(private readonly port: number) {}

  call(method: 'GET' | 'POST', path: string, json?: unknown): Promise<Answer> {
    const payload = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': payload.length });
    const start = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: this.port, path, method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - start) / 1e6, body: Buffer.concat(chunks).toString('utf8'), setCookie: res.headers['set-cookie'] }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Logs in and keeps the session cookie. */
  async login(email: string, password: string): Promise<Answer> {
    const answer = await this.call('POST', '/api/auth/login', { email, password });
    if (answer.status !== 200) throw new Error(`login: HTTP ${answer.status} ${answer.body}`);
    this.cookie = (answer.setCookie ?? []).map((c) => c.split(';')[0]!).join('; ');
    return answer;
  }
}

/** Nearest-rank percentile of sorted numbers. */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
