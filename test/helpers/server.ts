import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { createTestDatabase } from './postgres.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/cli/main.js');
/**
 * Tests run the TypeScript sources through tsx, so a half-finished file elsewhere cannot make them test stale
 * output; `npm test` type-checks and builds first anyway. STRONGROOM_TEST_USE_DIST=1 runs the built bin instead.
 */
export const SERVER_COMMAND: string[] = process.env.STRONGROOM_TEST_USE_DIST
  ? [CLI]
  : ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  env: Record<string, string>;
  accessKeyId: string;
  secretAccessKey: string;
  /** Universal-auth credentials of the admin identity (printed by the server on its first start). */
  clientId: string;
  clientSecret: string;
  output(): string;
  /** Graceful stop (SIGTERM). */
  stop(): Promise<void>;
  /** kill -9. */
  kill(): Promise<void>;
  /** Start again on the same data directory / database. */
  restart(): Promise<void>;
  /** Stop and delete the data directory and database. */
  dispose(): Promise<void>;
}

export interface StartOptions {
  postgres?: boolean;
  env?: Record<string, string>;
}

/**
 * Spawns the server on a free port with a fresh data directory (and, with `postgres`, a
 * fresh PostgreSQL database). The admin credentials are the ones the server prints on its first start.
 */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'strongroom-test-'));
  const db = options.postgres ? await createTestDatabase() : undefined;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'info',
    ...(db ? { DATABASE_URL: db.url } : {}),
    ...options.env,
  };
  let child: ChildProcess | undefined;
  let out = '';
  let port = 0;
  let creds = { accessKeyId: '', secretAccessKey: '', clientId: '', clientSecret: '' };

  async function launch(): Promise<void> {
    out = '';
    const proc = spawn(process.execPath, [...SERVER_COMMAND, 'serve'], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const m = /"address":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(out);
      if (m) {
        port = Number(m[1]);
        break;
      }
      if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    if (!port) throw new Error(`server did not start in time:\n${out}`);
    const akid = /AWS_ACCESS_KEY_ID=(\S+)/.exec(out);
    if (akid) {
      creds = {
        accessKeyId: akid[1]!,
        secretAccessKey: /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(out)![1]!,
        clientId: /clientId=(\S+)/.exec(out)![1]!,
        clientSecret: /clientSecret=(\S+)/.exec(out)![1]!,
      };
    }
    // Later starts bind a new free port: keep the port stable so clients built earlier still work.
    env.PORT = String(port);
  }

  async function waitExit(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((r) => {
      proc.once('exit', () => r());
      proc.kill(signal);
    });
  }

  await launch();
  const server: TestServer = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dataDir,
    databaseUrl: db?.url,
    env,
    get accessKeyId() {
      return creds.accessKeyId;
    },
    get secretAccessKey() {
      return creds.secretAccessKey;
    },
    get clientId() {
      return creds.clientId;
    },
    get clientSecret() {
      return creds.clientSecret;
    },
    output: () => out,
    stop: () => waitExit('SIGTERM'),
    kill: () => waitExit('SIGKILL'),
    async restart() {
      await waitExit('SIGTERM');
      try {
        await launch();
      } catch (e) {
        // Someone else took the port while the server was down: take any free port instead.
        if (!/EADDRINUSE/.test(out)) throw e;
        env.PORT = '0';
        await launch();
      }
    },
    async dispose() {
      await waitExit('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
      await db?.drop();
    },
  };
  return server;
}

export function kmsClient(server: TestServer, region = 'us-east-1', credentials?: { accessKeyId: string; secretAccessKey: string }): KMSClient {
  return new KMSClient({
    endpoint: server.url,
    region,
    credentials: credentials ?? { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    maxAttempts: 1,
  });
}
