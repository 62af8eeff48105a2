// Mock IAM figures: SigV4-signed ListMFADevices requests per second and p99 latency at 1 and 32
// connections on loopback (autocannon), next to an unsigned express handler that answers the same
// XML, measured in the same run. The caller is an IAM user holding the workshop policy, so every
// request is verified and its policies evaluated (the root user would skip evaluation).
//
// The server runs in a child process so that it and autocannon do not share one event loop. The
// client signs a pool of distinct requests up front (all within the 15-minute signature window)
// and autocannon replays them; the server verifies every one of them in full. The child also
// reports how much of its handling time went to SigV4 and policy evaluation.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import express from 'express';
import { startIamServer, type Credentials } from '../emulator/iam/index.ts';
import { FORM_CONTENT_TYPE, signQueryRequest } from '../harness/iam/sign-query-request.ts';
import { compare, type BenchRow } from './table.ts';

/** The part of autocannon's API used here (it ships no type declarations). */
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: PooledRequest[];
}) => Promise<{ requests: { average: number }; latency: { p99: number }; errors: number; timeouts: number; non2xx: number }>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const BODY = 'Action=ListMFADevices&Version=2010-05-08';
const POOL_SIZE = 256;

interface ChildReady {
  kind: 'ready';
  iamUrl: string;
  baselineUrl: string;
  credentials: Credentials;
}
interface ChildStats {
  kind: 'stats';
  requests: number;
  authenticateMs: number;
  authorizeMs: number;
  totalMs: number;
}

/** The child: the IAM endpoint with a workshop user, and the baseline app, until told to stop. */
async function serve(): Promise<void> {
  const stats = { requests: 0, authenticateMs: 0, authorizeMs: 0, totalMs: 0 };
  const server = await startIamServer({
    port: 0,
    onRequest: ({ timings }) => {
      stats.requests++;
      stats.authenticateMs += timings.authenticateMs;
      stats.authorizeMs += timings.authorizeMs;
      stats.totalMs += timings.totalMs;
    },
  });
  const { store } = server;
  const credentials = store.transaction(() => {
    store.users.create({ userName: 'bench' });
    const policy = store.policies.create({ policyName: 'MFAHardDevice', document: readFileSync(new URL('../fixtures/policies/workshop-mfa.json', import.meta.url), 'utf8') });
    store.policies.attach('user', 'bench', policy.arn);
    store.policies.attach('user', 'bench', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess');
    const key = store.accessKeys.create('bench');
    return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
  });
  // The baseline answers with the XML the endpoint gives, without reading or checking anything.
  const [sample] = await signedPool(server.url, credentials, 1);
  const xml = await (await fetch(server.url + '/', { method: 'POST', headers: sample.headers, body: sample.body })).text();
  if (!xml.includes('<ListMFADevicesResult>')) throw new Error(`bench: the endpoint refused the bench user: ${xml}`);
  const baseline = express();
  baseline.post('/', (_req, res) => {
    res.status(200).set({ 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }).send(xml);
  });
  const baselineServer = await new Promise<ReturnType<typeof baseline.listen>>((resolve) => {
    const listening = baseline.listen(0, '127.0.0.1', () => resolve(listening));
  });
  stats.requests = stats.authenticateMs = stats.authorizeMs = stats.totalMs = 0;
  process.on('message', async (message: { kind: string }) => {
    if (message.kind === 'stats') {
      process.send!({ kind: 'stats', ...stats } satisfies ChildStats);
      stats.requests = stats.authenticateMs = stats.authorizeMs = stats.totalMs = 0;
    } else if (message.kind === 'stop') {
      baselineServer.close();
      await server.close();
      process.exit(0);
    }
  });
  const ready: ChildReady = { kind: 'ready', iamUrl: server.url, baselineUrl: `http://127.0.0.1:${(baselineServer.address() as AddressInfo).port}`, credentials };
  process.send!(ready);
}

interface PooledRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** `size` requests signed the way the AWS SDK signs them, each with its own body. */
async function signedPool(url: string, credentials: Credentials, size: number): Promise<PooledRequest[]> {
  const { host } = new URL(url);
  const pool: PooledRequest[] = [];
  for (let i = 0; i < size; i++) {
    const body = `${BODY}&MaxItems=${(i % 1000) + 1}`;
    // autocannon writes Content-Length itself (a second one breaks the request), so it is not signed.
    const headers = await signQueryRequest({ url, credentials, body, headers: { host, 'content-type': FORM_CONTENT_TYPE } });
    pool.push({ method: 'POST', path: '/', headers, body });
  }
  return pool;
}

interface LoadResult {
  rps: number;
  p99Ms: number;
  errors: number;
}

async function load(url: string, requests: PooledRequest[], connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({ url, connections, duration: seconds, requests });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { rps: result.requests.average, p99Ms: result.latency.p99, errors };
}

function ask<T extends { kind: string }>(child: ReturnType<typeof fork>, kind: string, reply: T['kind']): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: T): void => {
      if (message.kind !== reply) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    if (kind !== '') child.send({ kind });
  });
}

export interface BenchIamOptions {
  /** Duration of each of the four load runs. */
  seconds: number;
}

/**
 * req/s and p99 (ms) of signed ListMFADevices and of the unsigned baseline at 1 and 32
 * connections; `signedToBaseline32` is their ratio at 32 connections, `authShareOfServerTime` the
 * fraction of the endpoint's time per request spent on SigV4 and policy evaluation, with the
 * stages' milliseconds per request beside it.
 */
export async function benchIam({ seconds }: BenchIamOptions): Promise<Record<string, number>> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx/esm'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const ready = await ask<ChildReady>(child, '', 'ready');
    const signed = await signedPool(ready.iamUrl, ready.credentials, POOL_SIZE);
    const baselineRequests = signed.map(({ body }) => ({ method: 'POST' as const, path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }));
    const out: Record<string, number> = {};
    for (const connections of [1, 32]) {
      const iam = await load(ready.iamUrl, signed, connections, seconds);
      const stats = await ask<ChildStats>(child, 'stats', 'stats');
      const base = await load(ready.baselineUrl, baselineRequests, connections, seconds);
      out[`signedRps${connections}`] = iam.rps;
      out[`signedP99Ms${connections}`] = iam.p99Ms;
      out[`signedErrors${connections}`] = iam.errors;
      out[`baselineRps${connections}`] = base.rps;
      out[`baselineP99Ms${connections}`] = base.p99Ms;
      if (connections === 32) {
        out.sigv4MsPerRequest = stats.authenticateMs / stats.requests;
        out.policyMsPerRequest = stats.authorizeMs / stats.requests;
        out.pipelineMsPerRequest = stats.totalMs / stats.requests;
        // At 32 connections the single-threaded server is saturated, so 1/rps is its whole cost
        // per request: HTTP, express, store, XML, SigV4 and policies.
        out.authShareOfServerTime = (out.sigv4MsPerRequest + out.policyMsPerRequest) / (1000 / iam.rps);
      }
    }
    out.signedToBaseline32 = out.signedRps32 / out.baselineRps32;
    return out;
  } finally {
    child.send({ kind: 'stop' });
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** Rows for `npm run bench` (bench/index.ts). */
export async function iamRows(seconds: number): Promise<BenchRow[]> {
  const r = await benchIam({ seconds });
  return [
    compare('IAM ListMFADevices signed, 1 connection', r.signedRps1, 'req/s', 'unsigned express, same XML', r.baselineRps1),
    compare('IAM ListMFADevices signed, 32 connections', r.signedRps32, 'req/s', 'unsigned express, same XML', r.baselineRps32),
    compare('IAM ListMFADevices signed, 32 connections', r.signedRps32, 'req/s', 'target 2,000 req/s (moto ~200)', 2000, { text: '>= 1', min: 1 }),
    { figure: 'IAM p99 signed, 1 connection', value: r.signedP99Ms1, unit: 'ms', reference: 'unsigned', referenceValue: r.baselineP99Ms1 },
    { figure: 'IAM p99 signed, 32 connections', value: r.signedP99Ms32, unit: 'ms', reference: 'unsigned', referenceValue: r.baselineP99Ms32 },
    {
      figure: 'IAM SigV4 + policy share of server time',
      value: r.authShareOfServerTime * 100,
      unit: '%',
      target: '< 50%',
      met: r.authShareOfServerTime < 0.5,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--serve') {
    await serve();
  } else {
    console.log(await benchIam({ seconds: Number(process.argv[2] ?? 3) }));
  }
}
