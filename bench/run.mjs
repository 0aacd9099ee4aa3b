#!/usr/bin/env node
// Strongroom benchmark: the measurement behind DESIGN.md "Performance budget".
//
//   npm run build && npm run bench -- [--duration 10] [--connections 64] [--threads 1] [--warmup 2] [--quick] [--strict]
//
// In one run, on this machine, sequentially:
//   1. a bare node:http JSON echo server (bench/echo-server.mjs) with the same request body as Encrypt;
//   2. Strongroom (dist/, SQLite in a temp DATA_DIR, durable group-committed audit) for Encrypt, Decrypt and
//      GenerateDataKey, each replayed by wrk from one request pre-signed with SigV4 (the server verifies the
//      signature in full every time).
// Each signed request is first sent once with fetch and must answer 200; wrk's Lua `response` hook counts
// every non-200 answer and any error marks the run as failed (exit code 1). Results: a table on stdout and
// bench/results/latest.json. Requires `wrk` on PATH (Debian: apt-get install -y wrk). Linux only for CPU figures.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/cli/main.js');
const ECHO = join(ROOT, 'bench/echo-server.mjs');
const LUA_TEMPLATE = join(ROOT, 'bench/lua/replay.lua');
const RESULTS = join(ROOT, 'bench/results/latest.json');
const HOST = '127.0.0.1';
const REGION = 'us-east-1';
// Fixed benchmark-only administrator credentials (the server runs on a throw-away temp data directory).
const ADMIN = { accessKeyId: 'AKIASTRONGROOMBENCH0', secretAccessKey: 'strongroom-bench-secret-not-for-real-use' };
const BUDGET = { minRatio: 0.6, maxP99Ms: 10 };
const PLAINTEXT_BYTES = 256;
const CONTEXT = { purpose: 'strongroom-benchmark', tenant: 'bench-tenant-0001' };

// ---------------------------------------------------------------- options
const USAGE = `Usage: npm run bench -- [options]     (run \`npm run build\` first)
  --duration <s>     seconds per measured wrk run (default 10; --quick: 2)
  --warmup <s>       unmeasured wrk seconds before each run (default 2; --quick: 1; 0 = none)
  --connections <n>  wrk connections (default 64)
  --threads <n>      wrk threads (default 1: the reference machine has 2 cores)
  --quick            smoke test: --duration 2 --warmup 1
  --strict           also exit 1 when the performance budget is not met
  --profile <dir>    run Strongroom with node --cpu-prof into <dir> (covers all Strongroom runs; figures
                     are then slower than normal); summarise with: node bench/cpuprofile-top.mjs <dir>/*.cpuprofile
  --help`;

let opts;
try {
  opts = parseArgs({
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string', default: '64' },
      threads: { type: 'string', default: '1' },
      quick: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  console.error(`${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
function intOption(name, value, min, max) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be an integer between ${min} and ${max}, got '${value}'.`);
    process.exit(2);
  }
  return n;
}
const config = {
  duration: intOption('duration', opts.duration ?? (opts.quick ? 2 : 10), 1, 600),
  warmup: intOption('warmup', opts.warmup ?? (opts.quick ? 1 : 2), 0, 60),
  connections: intOption('connections', opts.connections, 1, 10_000),
  threads: intOption('threads', opts.threads, 1, 64),
  quick: opts.quick,
};
if (config.connections < config.threads) {
  console.error('--connections must be at least --threads.');
  process.exit(2);
}

// ---------------------------------------------------------------- preconditions
if (!existsSync(CLI)) {
  console.error(`dist/ is missing (${CLI} not found): run \`npm run build\` first, then \`npm run bench\`.`);
  process.exit(2);
}

// ---------------------------------------------------------------- process bookkeeping and cleanup
const children = new Set(); // { proc, name, group }
const tempDirs = [];
let aborting = false;

function alive(proc) {
  return proc.exitCode === null && proc.signalCode === null;
}
function signalChild(c, signal) {
  if (!alive(c.proc)) return;
  try {
    process.kill(c.group ? -c.proc.pid : c.proc.pid, signal);
  } catch {
    // already gone
  }
}
function waitExit(proc, ms) {
  if (!alive(proc)) return Promise.resolve(true);
  return new Promise((res) => {
    const t = setTimeout(() => res(false), ms);
    proc.once('exit', () => {
      clearTimeout(t);
      res(true);
    });
  });
}
/** SIGTERM, then SIGKILL after `ms`. */
async function stopChild(c, ms = 10_000) {
  if (!alive(c.proc)) return;
  signalChild(c, 'SIGTERM');
  if (!(await waitExit(c.proc, ms))) {
    console.error(`${c.name} did not stop within ${ms} ms; killing it.`);
    signalChild(c, 'SIGKILL');
    await waitExit(c.proc, 2_000);
  }
}
process.on('exit', () => {
  for (const c of children) signalChild(c, 'SIGKILL');
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});
async function abort(message, code) {
  if (aborting) return;
  aborting = true;
  console.error(`\n${message}: stopping all benchmark processes.`);
  for (const c of children) if (c.group) signalChild(c, 'SIGKILL'); // wrk
  await Promise.all([...children].map((c) => stopChild(c, 3_000)));
  process.exit(code);
}
process.once('SIGINT', () => abort('Interrupted (SIGINT)', 130));
process.once('SIGTERM', () => abort('Terminated (SIGTERM)', 143));

// Everything is bounded: per step below, and overall here.
const perRunS = config.warmup + config.duration + 30;
const globalLimitMs = (4 * perRunS + 120) * 1000;
setTimeout(() => abort(`Global time limit of ${Math.round(globalLimitMs / 1000)} s exceeded`, 1), globalLimitMs).unref();

function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise,
    new Promise((_, rej) => {
      t = setTimeout(() => rej(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

// ---------------------------------------------------------------- servers
/** Spawns `node <args>` and waits for the `"address":"http://127.0.0.1:PORT"` log line. */
async function startNodeServer(name, args, env) {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const child = { proc, name, group: false };
  children.add(child);
  let tail = '';
  // Always drain the pipes (a full pipe would block the server); keep the end for error messages.
  const keep = (d) => {
    tail = (tail + d.toString()).slice(-32_768);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  child.output = () => tail;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const m = /"address":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(tail);
    if (m) {
      child.url = `http://${HOST}:${m[1]}`;
      child.port = Number(m[1]);
      return child;
    }
    if (!alive(proc)) throw new Error(`${name} exited (${proc.exitCode ?? proc.signalCode}) before listening:\n${tail}`);
    await sleep(25);
  }
  throw new Error(`${name} did not log its address within 30 s:\n${tail}`);
}

async function waitReady(server) {
  const deadline = Date.now() + 20_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (r.status === 200) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(100);
  }
  throw new Error(`Strongroom /readyz did not return 200 within 20 s (last: ${last}):\n${server.output()}`);
}

// ---------------------------------------------------------------- signing and request checks
async function signer() {
  const [{ SignatureV4 }, { Sha256 }, { HttpRequest }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@aws-crypto/sha256-js'),
    import('@smithy/protocol-http'),
  ]);
  const sigv4 = new SignatureV4({ service: 'kms', region: REGION, credentials: ADMIN, sha256: Sha256 });
  /** Signs POST / with the KMS JSON protocol; returns every header to send (lower-case names, incl. host). */
  return async (port, target, body) => {
    const req = new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: HOST,
      port,
      path: '/',
      headers: { host: `${HOST}:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body,
    });
    const signed = await sigv4.sign(req);
    return { ...signed.headers };
  };
}

/** Sends the exact request wrk will replay, once, and returns the parsed JSON answer; throws unless 200. */
async function sendOnce(url, headers, body, what) {
  const sendHeaders = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'host'));
  let r;
  try {
    r = await fetch(`${url}/`, { method: 'POST', headers: sendHeaders, body, signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new Error(`${what}: the check request failed: ${e.message}`);
  }
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${what}: the check request answered HTTP ${r.status} instead of 200: ${text.slice(0, 500)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what}: the check request answered 200 but not JSON: ${text.slice(0, 200)}`);
  }
}

function luaString(s) {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${b}`;
  }
  return `${out}"`;
}

/** Fills the committed wrk template with one request. wrk adds Content-Length itself; "Host" must be spelt so. */
function writeLua(dir, name, headers, body) {
  const entries = Object.entries(headers).map(([k, v]) => `  [${luaString(k.toLowerCase() === 'host' ? 'Host' : k)}] = ${luaString(String(v))},`);
  const script = readFileSync(LUA_TEMPLATE, 'utf8')
    .replace('__BODY__', luaString(body))
    .replace('__HEADERS__', `{\n${entries.join('\n')}\n}`);
  const file = join(dir, `${name}.lua`);
  writeFileSync(file, script);
  return file;
}

// ---------------------------------------------------------------- CPU accounting (Linux /proc; optional)
const HAS_PROC = existsSync('/proc/stat') && existsSync('/proc/self/stat');
const TICKS = 100; // USER_HZ; 100 on every mainstream Linux
function procCpuSeconds(pid) {
  if (!HAS_PROC) return null;
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS; // utime + stime
  } catch {
    return null;
  }
}
/** CPU seconds of every process (pid -> { cpuS, name }); to name the other processes busy during a run. */
function allProcessesCpu() {
  const out = new Map();
  if (!HAS_PROC) return out;
  let pids;
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    const cpuS = procCpuSeconds(pid);
    if (cpuS === null) continue;
    out.set(pid, { cpuS, pid });
  }
  return out;
}
function processName(pid) {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return cmd.replace(/\/work\/[^ ]*?\/(node_modules|src|test|dist)\//g, '$1/').slice(0, 100) || null;
  } catch {
    return null;
  }
}
function topOthers(before, after, wallS, exclude) {
  const rows = [];
  for (const [pid, a] of after) {
    if (exclude.has(Number(pid))) continue;
    const d = a.cpuS - (before.get(pid)?.cpuS ?? a.cpuS); // processes that started during the run: unknown start, skip
    if (d / wallS >= 0.05) rows.push({ pid: Number(pid), corePct: round((100 * d) / wallS, 0), name: processName(pid) });
  }
  return rows.sort((x, y) => y.corePct - x.corePct).slice(0, 5);
}
function systemCpu() {
  if (!HAS_PROC) return null;
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] || 0);
  return { total: v.reduce((a, b) => a + b, 0), idle };
}

// ---------------------------------------------------------------- wrk
function toMs(value, unit) {
  const f = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit];
  return f === undefined ? Number.NaN : Number(value) * f;
}

function parseWrk(stdout) {
  const out = {};
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  out.rps = rps ? Number(rps[1]) : null;
  out.latencyMs = {};
  for (const m of stdout.matchAll(/^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$/gm)) out.latencyMs[`p${m[1]}`] = toMs(m[2], m[3]);
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m|h)/.exec(stdout);
  out.requests = total ? Number(total[1]) : null;
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
  out.non2xx = non2xx ? Number(non2xx[1]) : 0;
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  out.socketErrors = sock ? { connect: +sock[1], read: +sock[2], write: +sock[3], timeout: +sock[4] } : null;
  const json = /^BENCH_JSON (.*)$/m.exec(stdout);
  out.lua = null;
  if (json) {
    try {
      out.lua = JSON.parse(json[1]);
    } catch {
      // reported as a failure below
    }
  }
  return out;
}

function wrkProblems(p) {
  const problems = [];
  if (p.rps === null) problems.push('no Requests/sec in wrk output');
  if (p.latencyMs.p50 === undefined || p.latencyMs.p99 === undefined) problems.push('no latency distribution in wrk output');
  if (!p.lua) problems.push('the Lua done() report is missing (script not loaded?)');
  else {
    if (p.lua.non200 > 0) problems.push(`${p.lua.non200} non-200 responses ${JSON.stringify(p.lua.statuses)}, first body: ${p.lua.sample}`);
    if (p.lua.responses === 0) problems.push('no responses at all');
  }
  if (p.non2xx > 0 && !(p.lua && p.lua.non200 > 0)) problems.push(`${p.non2xx} non-2xx/3xx responses`);
  if (p.socketErrors && Object.values(p.socketErrors).some((n) => n > 0)) problems.push(`socket errors ${JSON.stringify(p.socketErrors)}`);
  return problems;
}

/** Runs wrk once (bounded); returns parsed output, problems and CPU use of wrk / the server / the system. */
async function runWrk(label, url, script, seconds, server) {
  const args = ['-t', String(config.threads), '-c', String(config.connections), '-d', `${seconds}s`, '--latency', '--timeout', '5s', '-s', script, `${url}/`];
  // sh's `times` reports the CPU time of its waited-for children: wrk's own user+system time.
  const proc = spawn('/bin/sh', ['-c', 'wrk "$@"; rc=$?; times 1>&2; exit $rc', 'sh', ...args], {
    cwd: ROOT,
    detached: true, // own process group, so wrk can be killed with the shell
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = { proc, name: `wrk (${label})`, group: true };
  children.add(child);
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d.toString()));
  proc.stderr.on('data', (d) => (stderr += d.toString()));
  const all0 = allProcessesCpu();
  const sys0 = systemCpu();
  const srv0 = procCpuSeconds(server.proc.pid);
  const t0 = process.hrtime.bigint();
  const exited = new Promise((res) => proc.once('close', (code, sig) => res({ code, sig })));
  let status;
  try {
    status = await withTimeout(exited, (seconds + 30) * 1000, `wrk ${label}`);
  } catch (e) {
    signalChild(child, 'SIGKILL');
    throw e;
  } finally {
    children.delete(child);
  }
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const sys1 = systemCpu();
  const srv1 = procCpuSeconds(server.proc.pid);
  const all1 = allProcessesCpu();
  if (status.code !== 0) {
    if (/command not found|not found/.test(stderr)) throw new Error('wrk is not installed: apt-get install -y wrk (Debian/Ubuntu).');
    throw new Error(`wrk ${label} exited with ${status.code ?? status.sig}:\n${stdout}\n${stderr}`);
  }
  const parsed = parseWrk(stdout);
  const times = [...stderr.matchAll(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/g)];
  const wrkCpuS = times.length >= 2 ? +times[1][1] * 60 + +times[1][2] + +times[1][3] * 60 + +times[1][4] : null;
  const cpu = {
    wallS: round(wallS, 2),
    wrkCpuS: wrkCpuS === null ? null : round(wrkCpuS, 2),
    serverCpuS: srv0 === null || srv1 === null ? null : round(srv1 - srv0, 2),
    // % of ONE core over the run (200% = both cores of a 2-core machine).
    wrkCorePct: wrkCpuS === null ? null : round((100 * wrkCpuS) / wallS, 0),
    serverCorePct: srv0 === null || srv1 === null ? null : round((100 * (srv1 - srv0)) / wallS, 0),
    // Whole machine, % of all cores.
    systemBusyPct: sys0 && sys1 ? round(100 * (1 - (sys1.idle - sys0.idle) / (sys1.total - sys0.total)), 0) : null,
  };
  // Everything else on the machine (other processes, kernel), % of one core: a noisy neighbour makes figures low.
  cpu.otherCorePct =
    cpu.systemBusyPct === null || cpu.wrkCorePct === null || cpu.serverCorePct === null
      ? null
      : Math.max(0, round(cpu.systemBusyPct * cpus().length - cpu.wrkCorePct - cpu.serverCorePct, 0));
  // Other processes that used >= 5% of a core (started before the run); wrk itself is reported above.
  cpu.topOtherProcesses = topOthers(all0, all1, wallS, new Set([server.proc.pid, process.pid]));
  // Server CPU time per request: much less sensitive to other load on the machine than req/s.
  cpu.serverCpuUsPerRequest = cpu.serverCpuS === null || !parsed.requests ? null : round(((srv1 - srv0) * 1e6) / parsed.requests, 1);
  return { parsed, problems: wrkProblems(parsed), cpu, raw: stdout };
}

// ---------------------------------------------------------------- helpers
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
function round(n, d) {
  const f = 10 ** d;
  return Math.round(n * f) / f;
}
function b64(u8) {
  return Buffer.from(u8).toString('base64');
}
function fmtMs(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return '-';
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}
function pad(s, n, right = false) {
  s = String(s);
  return right ? s.padStart(n) : s.padEnd(n);
}
function gitCommit() {
  const r = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8', timeout: 5_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}
async function wrkVersion() {
  return new Promise((res) => {
    const p = spawn('wrk', ['-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', () => res(null));
    p.on('close', () => res(/wrk\s+(\S+)/.exec(out)?.[1] ?? null));
    setTimeout(() => {
      p.kill('SIGKILL');
      res(null);
    }, 5_000).unref();
  });
}

// ---------------------------------------------------------------- main
async function main() {
  const wrkV = await wrkVersion();
  if (!wrkV) throw new Error('wrk is not installed or not on PATH: apt-get install -y wrk (Debian/Ubuntu), then run again.');

  const work = mkdtempSync(join(tmpdir(), 'strongroom-bench-'));
  tempDirs.push(work);
  const dataDir = join(work, 'data');
  const luaDir = join(work, 'lua');
  mkdirSync(luaDir);

  console.log(`Strongroom benchmark: wrk ${wrkV}, ${config.threads} thread(s), ${config.connections} connections, ${config.warmup} s warm-up + ${config.duration} s per run, ${cpus().length} CPU(s), node ${process.version}`);

  const echo = await startNodeServer('echo server', [ECHO], { PATH: process.env.PATH ?? '', HOST, PORT: '0' });
  const profileArgs = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(opts.profile)}`] : [];
  const strongroom = await startNodeServer('Strongroom', [...profileArgs, CLI, 'serve'], {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    HOST,
    PORT: '0',
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    STRONGROOM_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId,
    STRONGROOM_ADMIN_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
    LOG_LEVEL: 'info',
  });
  await waitReady(strongroom);
  console.log(`echo server ${echo.url}, Strongroom ${strongroom.url} (SQLite in ${dataDir})`);

  // A symmetric key and a valid ciphertext, through the AWS SDK.
  // The SDK warns about Node 20 support ending in 2027; irrelevant to the measurement.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { KMSClient, CreateKeyCommand, EncryptCommand } = await import('@aws-sdk/client-kms');
  const kms = new KMSClient({
    endpoint: strongroom.url,
    region: REGION,
    credentials: ADMIN,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 },
  });
  const plaintext = randomBytes(PLAINTEXT_BYTES);
  let keyId;
  let ciphertext;
  try {
    const created = await withTimeout(kms.send(new CreateKeyCommand({ Description: 'strongroom benchmark key' })), 15_000, 'CreateKey');
    keyId = created.KeyMetadata.KeyId;
    const enc = await withTimeout(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: CONTEXT })), 15_000, 'Encrypt');
    ciphertext = enc.CiphertextBlob;
  } finally {
    kms.destroy();
  }

  const bodies = {
    Encrypt: JSON.stringify({ KeyId: keyId, Plaintext: b64(plaintext), EncryptionContext: CONTEXT }),
    Decrypt: JSON.stringify({ CiphertextBlob: b64(ciphertext), EncryptionContext: CONTEXT }),
    GenerateDataKey: JSON.stringify({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: CONTEXT }),
  };
  const checks = {
    Encrypt: (r) => typeof r.CiphertextBlob === 'string' && typeof r.KeyId === 'string',
    Decrypt: (r) => r.Plaintext === b64(plaintext),
    GenerateDataKey: (r) => typeof r.Plaintext === 'string' && Buffer.from(r.Plaintext, 'base64').length === 32 && typeof r.CiphertextBlob === 'string',
  };
  const sign = await signer();

  const runs = [
    { op: 'echo', label: 'echo (node:http)', server: echo, target: null, body: bodies.Encrypt },
    { op: 'Encrypt', label: 'Encrypt', server: strongroom, target: 'TrentService.Encrypt', body: bodies.Encrypt },
    { op: 'Decrypt', label: 'Decrypt', server: strongroom, target: 'TrentService.Decrypt', body: bodies.Decrypt },
    { op: 'GenerateDataKey', label: 'GenerateDataKey', server: strongroom, target: 'TrentService.GenerateDataKey', body: bodies.GenerateDataKey },
  ];

  const results = [];
  for (const run of runs) {
    // Signed right before its own run, so the whole run stays well inside the 15-minute signature window.
    const headers = run.target
      ? await sign(strongroom.port, run.target, run.body)
      : { host: `${HOST}:${echo.port}`, 'content-type': 'application/json' };
    const answer = await sendOnce(run.server.url, headers, run.body, run.label);
    if (run.target && !checks[run.op](answer)) throw new Error(`${run.label}: the check request answered 200 with an unexpected body: ${JSON.stringify(answer).slice(0, 300)}`);
    if (!run.target && JSON.stringify(answer) !== run.body) throw new Error('echo server: the answer is not the request body');
    const script = writeLua(luaDir, run.op, headers, run.body);

    if (config.warmup > 0) {
      process.stdout.write(`${pad(run.label, 18)} warm-up ${config.warmup} s ... `);
      const w = await runWrk(`${run.label} warm-up`, run.server.url, script, config.warmup, run.server);
      if (w.problems.length > 0) throw new Error(`${run.label} warm-up failed: ${w.problems.join('; ')}\n${w.raw}`);
      process.stdout.write(`${Math.round(w.parsed.rps)} req/s; `);
    } else {
      process.stdout.write(`${pad(run.label, 18)} `);
    }
    process.stdout.write(`measuring ${config.duration} s ... `);
    const m = await runWrk(run.label, run.server.url, script, config.duration, run.server);
    const failed = m.problems.length > 0;
    console.log(failed ? `FAILED: ${m.problems.join('; ')}` : `${Math.round(m.parsed.rps)} req/s`);
    results.push({
      operation: run.op,
      label: run.label,
      requestBytes: Buffer.byteLength(run.body),
      rps: m.parsed.rps,
      requests: m.parsed.requests,
      p50Ms: m.parsed.latencyMs.p50 ?? null,
      p75Ms: m.parsed.latencyMs.p75 ?? null,
      p90Ms: m.parsed.latencyMs.p90 ?? null,
      p99Ms: m.parsed.latencyMs.p99 ?? null,
      latencyUs: m.parsed.lua?.latencyUs ?? null,
      non200: m.parsed.lua?.non200 ?? null,
      statuses: m.parsed.lua?.statuses ?? null,
      socketErrors: m.parsed.socketErrors,
      cpu: m.cpu,
      failed,
      problems: m.problems,
      wrkOutput: m.raw,
    });
  }

  const echoRps = results[0].failed ? null : results[0].rps;
  for (const r of results) {
    if (r.operation === 'echo') {
      r.ratioToEcho = r.failed ? null : 1;
      r.meetsBudget = null;
      continue;
    }
    r.ratioToEcho = echoRps && r.rps !== null ? round(r.rps / echoRps, 3) : null;
    r.meetsThroughput = r.ratioToEcho !== null && r.ratioToEcho >= BUDGET.minRatio;
    r.meetsP99 = r.p99Ms !== null && r.p99Ms <= BUDGET.maxP99Ms;
    r.meetsBudget = !r.failed && r.meetsThroughput && r.meetsP99;
  }

  // Table.
  const head = [pad('operation', 18), pad('req/s', 9, true), pad('p50', 10, true), pad('p99', 10, true), pad('vs echo', 8, true), '  budget (>=60% of echo, p99<=10 ms)', pad('CPU wrk/server', 16, true), pad('server CPU/req', 15, true)];
  console.log(`\n${head.join(' ')}`);
  console.log('-'.repeat(head.join(' ').length));
  for (const r of results) {
    let verdict;
    if (r.failed) verdict = 'FAILED (errors, see above)';
    else if (r.operation === 'echo') verdict = 'baseline';
    else if (r.meetsBudget) verdict = 'meets';
    else verdict = `MISSES (${[!r.meetsThroughput && 'throughput', !r.meetsP99 && 'p99'].filter(Boolean).join(', ')})`;
    const cpu = r.cpu.wrkCorePct === null ? '-' : `${r.cpu.wrkCorePct}% / ${r.cpu.serverCorePct ?? '-'}%`;
    console.log(
      [
        pad(r.label, 18),
        pad(r.rps === null ? '-' : Math.round(r.rps), 9, true),
        pad(fmtMs(r.p50Ms), 10, true),
        pad(fmtMs(r.p99Ms), 10, true),
        pad(r.ratioToEcho === null ? '-' : `${Math.round(r.ratioToEcho * 100)}%`, 8, true),
        `  ${pad(verdict, 34)}`,
        pad(cpu, 16, true),
        pad(r.cpu.serverCpuUsPerRequest === null ? '-' : `${r.cpu.serverCpuUsPerRequest} us`, 15, true),
      ].join(' '),
    );
  }
  console.log(`(CPU: % of one core during the measured run, wrk / Strongroom-or-echo process, ${cpus().length} cores in total; server CPU/req: the server's CPU time per request)`);
  const noisy = results.filter((r) => r.cpu.otherCorePct !== null && r.cpu.otherCorePct >= 15);
  if (noisy.length > 0) {
    console.log(`WARNING: other processes used CPU during ${noisy.map((r) => `${r.label} (${r.cpu.otherCorePct}% of a core)`).join(', ')}; those req/s figures are low (server CPU/req is less affected). Re-run on a quiet machine.`);
    const names = [...new Set(noisy.flatMap((r) => r.cpu.topOtherProcesses.map((o) => o.name)).filter(Boolean))].slice(0, 5);
    if (names.length > 0) console.log(`  busy during the runs: ${names.join(' | ')}`);
  }

  const anyFailed = results.some((r) => r.failed);
  const allMeet = results.every((r) => r.operation === 'echo' || r.meetsBudget);
  const report = {
    date: new Date().toISOString(),
    failed: anyFailed,
    budgetMet: !anyFailed && allMeet,
    budget: { minRatioToEcho: BUDGET.minRatio, maxP99Ms: BUDGET.maxP99Ms, atConnections: 64 },
    commit: gitCommit(),
    config: { ...config, profiled: Boolean(opts.profile), region: REGION, plaintextBytes: PLAINTEXT_BYTES, encryptionContext: CONTEXT, storage: 'sqlite (embedded default), synchronous=FULL, durable group-committed audit' },
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, memoryGiB: round(totalmem() / 2 ** 30, 1), kernel: release(), node: process.version, wrk: wrkV },
    results,
  };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nResults written to ${RESULTS}`);

  await Promise.all([stopChild(strongroom), stopChild(echo)]);
  if (anyFailed) {
    console.error('\nBENCHMARK FAILED: at least one run measured errors (see above); its figures are not valid.');
    console.error(`Strongroom output (end):\n${strongroom.output().slice(-3000)}`);
    return 1;
  }
  if (!allMeet) {
    console.log(`\nThe performance budget is NOT met${opts.strict ? ' (--strict: exit 1)' : ''}.`);
    return opts.strict ? 1 : 0;
  }
  console.log('\nThe performance budget is met.');
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (e) => {
    if (aborting) return; // SIGINT/SIGTERM/time limit: abort() reports, cleans up and exits
    console.error(`\nBENCHMARK FAILED: ${e.message}`);
    for (const c of children) if (c.output && c.name === 'Strongroom' && !e.message.includes(c.output().slice(-200))) console.error(`Strongroom output (end):\n${c.output().slice(-3000)}`);
    aborting = true;
    for (const c of children) if (c.group) signalChild(c, 'SIGKILL');
    await Promise.all([...children].map((c) => stopChild(c, 3_000)));
    process.exit(1);
  },
);
