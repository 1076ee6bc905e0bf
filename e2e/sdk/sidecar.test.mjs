// The official openai SDK, pointed at the sidecar (dummy key), against two upstream simulators
// (primary and fallback) with the default config except `timeout: 1s`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { freePort, jarPath, startJava, stopJava } from './processes.mjs';

const SIM_NAME = 'sdk-sim';
const STREAM_EVENTS = 4;
const SIDECAR_KEY = 'sk-sidecar-dummy-key';
/** Bounds every SDK call: a hung request fails the test instead of stalling the suite. */
const SDK_TIMEOUT_MS = 10_000;
/**
 * The sidecar's `timeout` in this test. A non-streamed completion slower than it must still run on
 * exactly one upstream. The default is 30 s and real reasoning calls take 40 s or more; the code
 * path does not depend on the value (no timer is armed for a JSON call at all), so 1 s and a 3 s
 * completion prove the same thing in a fraction of the time.
 */
const SIDECAR_TIMEOUT = '1s';
const SLOW_COMPLETION = '3s';

let primary;
let fallback;
let sidecar;
let client;

async function startSimulator(simJar, name) {
  const sim = await startJava(
    name,
    simJar,
    ['--name', name, '--port', '0', '--stream-events', String(STREAM_EVENTS)],
    {},
    /listening on (http:\/\/\S+)\/v1$/,
  );
  return { ...sim, root: sim.match[1] };
}

before(async () => {
  const simJar = jarPath('SIMULATOR_JAR', 'e2e/target/holysheep-simulator.jar');
  const sidecarJar = jarPath('SIDECAR_JAR', 'sidecar/target/holysheep-sidecar.jar');
  primary = await startSimulator(simJar, SIM_NAME);
  fallback = await startSimulator(simJar, 'sdk-fallback');
  const config = {
    baseUrl: `${primary.root}/v1`,
    timeout: SIDECAR_TIMEOUT,
    fallbacks: [
      { name: 'fallback', baseUrl: `${fallback.root}/v1`, apiKeySecretRef: { name: 'fallback', key: 'api-key' } },
    ],
  };
  sidecar = await startJava(
    'sidecar',
    sidecarJar,
    ['--listen', `127.0.0.1:${await freePort()}`, '--admin-listen', `127.0.0.1:${await freePort()}`],
    { HOLYSHEEP_CONFIG: JSON.stringify(config), HOLYSHEEP_API_KEY: SIDECAR_KEY, HOLYSHEEP_API_KEY_1: 'sk-fallback-dummy' },
    /^holysheep-sidecar ready proxy=([^,\s]+)\S* admin=(\S+)/,
  );
  client = new OpenAI({
    baseURL: `http://${sidecar.match[1]}/v1`,
    apiKey: 'sk-dummy',
    maxRetries: 0,
    timeout: SDK_TIMEOUT_MS,
  });
});

after(async () => {
  await stopJava(sidecar?.child);
  await stopJava(primary?.child);
  await stopJava(fallback?.child);
});

async function simAdmin(sim, method, route, body) {
  const response = await fetch(`${sim.root}/_sim/${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(SDK_TIMEOUT_MS),
  });
  assert.ok(response.ok, `${method} /_sim/${route} answered ${response.status}`);
  return response.status === 204 ? null : response.json();
}

async function chatRequests(sim) {
  const { requests } = await simAdmin(sim, 'GET', 'requests');
  return requests.filter((r) => r.path === '/v1/chat/completions');
}

async function withFault(fault, run) {
  await simAdmin(primary, 'POST', 'fault', { ...fault, path: '/v1/chat/completions' });
  try {
    await run();
  } finally {
    await simAdmin(primary, 'DELETE', 'fault');
  }
}

function expectedText() {
  let text = `Simulated answer from ${SIM_NAME}.`;
  for (let i = 1; i < STREAM_EVENTS; i++) text += ` token-${i}`;
  return text;
}

test('a chat completes through the sidecar with the sidecar key upstream', async () => {
  await simAdmin(primary, 'DELETE', 'requests');
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'hello' }],
  });
  assert.equal(completion.choices[0].message.content, expectedText());
  assert.equal(completion.usage.completion_tokens, STREAM_EVENTS);
  const chat = await chatRequests(primary);
  assert.equal(chat.length, 1, 'one upstream attempt');
  assert.deepEqual(chat[0].headers.authorization, [`Bearer ${SIDECAR_KEY}`], 'the app key never reaches upstream');
});

test('a streamed chat yields every chunk and the usage', async () => {
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'stream please' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let contentChunks = 0;
  let usage = null;
  let finishReason = null;
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (choice?.delta?.content) {
      text += choice.delta.content;
      contentChunks++;
    }
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(contentChunks, STREAM_EVENTS);
  assert.equal(text, expectedText());
  assert.equal(finishReason, 'stop');
  assert.equal(usage?.completion_tokens, STREAM_EVENTS);
});

test(`a completion slower than the sidecar's timeout (${SIDECAR_TIMEOUT}) reaches exactly one upstream`, async () => {
  await simAdmin(primary, 'DELETE', 'requests');
  await simAdmin(fallback, 'DELETE', 'requests');
  await withFault({ headerDelay: SLOW_COMPLETION, times: 1 }, async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'think for a while' }],
    });
    assert.equal(completion.choices[0].message.content, expectedText(), 'answered by the primary');
  });
  assert.equal((await chatRequests(primary)).length, 1, 'the primary ran it once');
  assert.equal((await chatRequests(fallback)).length, 0, 'never duplicated on the fallback (billed twice)');
  const { cancelledRequests } = await simAdmin(primary, 'GET', 'stats');
  assert.equal(cancelledRequests, 0, 'never cancelled at timeout');
});

test('a context-length error in the first event raises a 400 BadRequestError with the upstream message', async () => {
  await simAdmin(fallback, 'DELETE', 'requests');
  await withFault({ errorObject: 'error', errorCode: 'context_length_exceeded', times: 1 }, async () => {
    await assert.rejects(
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'a very long prompt' }],
        stream: true,
      }),
      (err) => {
        assert.ok(err instanceof OpenAI.BadRequestError, `expected BadRequestError, got ${err}`);
        assert.equal(err.status, 400);
        assert.equal(err.code, 'context_length_exceeded');
        assert.match(err.message, /maximum context length/);
        return true;
      },
    );
  });
  assert.equal((await chatRequests(fallback)).length, 0, 'a deterministic error is not retried');
});

test('a stream cut after its first event raises an error in the SDK', async () => {
  await withFault({ resetAfterEvents: 1, times: 1 }, async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'cut me off' }],
      stream: true,
    });
    const received = [];
    await assert.rejects(
      async () => {
        for await (const chunk of stream) {
          received.push(chunk);
        }
      },
      (err) => {
        assert.ok(err instanceof OpenAI.APIError, `expected the sidecar's error event, got ${err}`);
        return true;
      },
      'the SDK must raise, not end the stream silently',
    );
    assert.equal(received.length, 1, 'the first event was delivered before the error');
    assert.equal(received[0].choices[0].delta.content, `Simulated answer from ${SIM_NAME}.`);
  });
});

test('a stream that ends without [DONE] raises instead of ending silently', async () => {
  await withFault({ noDone: true, times: 1 }, async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'finish properly' }],
      stream: true,
    });
    let chunks = 0;
    await assert.rejects(
      async () => {
        for await (const chunk of stream) {
          chunks++;
        }
      },
      (err) => {
        assert.ok(err instanceof OpenAI.APIError, `expected an APIError, got ${err}`);
        assert.match(err.message, /ended before it was complete/);
        return true;
      },
    );
    assert.equal(chunks, STREAM_EVENTS + 1, 'every chunk arrived before the error');
  });
});
