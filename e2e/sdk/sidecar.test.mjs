// The official openai SDK, pointed at the sidecar (dummy key), against the upstream simulator.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { freePort, jarPath, startJava, stopJava } from './processes.mjs';

const SIM_NAME = 'sdk-sim';
const STREAM_EVENTS = 4;
const SIDECAR_KEY = 'sk-sidecar-dummy-key';
/** Bounds every SDK call: a hung request fails the test instead of stalling the suite. */
const SDK_TIMEOUT_MS = 10_000;

let simulator;
let sidecar;
let simRoot;
let client;

before(async () => {
  const simJar = jarPath('SIMULATOR_JAR', 'e2e/target/holysheep-simulator.jar');
  const sidecarJar = jarPath('SIDECAR_JAR', 'sidecar/target/holysheep-sidecar.jar');
  simulator = await startJava(
    'simulator',
    simJar,
    ['--name', SIM_NAME, '--port', '0', '--stream-events', String(STREAM_EVENTS)],
    {},
    /listening on (http:\/\/\S+)\/v1$/,
  );
  simRoot = simulator.match[1];
  const config = { baseUrl: `${simRoot}/v1`, maxRetries: 0 };
  sidecar = await startJava(
    'sidecar',
    sidecarJar,
    ['--listen', `127.0.0.1:${await freePort()}`, '--admin-listen', `127.0.0.1:${await freePort()}`],
    { HOLYSHEEP_CONFIG: JSON.stringify(config), HOLYSHEEP_API_KEY: SIDECAR_KEY },
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
  await stopJava(simulator?.child);
});

async function simAdmin(method, route, body) {
  const response = await fetch(`${simRoot}/_sim/${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(SDK_TIMEOUT_MS),
  });
  assert.ok(response.ok, `${method} /_sim/${route} answered ${response.status}`);
  return response.status === 204 ? null : response.json();
}

function expectedText() {
  let text = `Simulated answer from ${SIM_NAME}.`;
  for (let i = 1; i < STREAM_EVENTS; i++) text += ` token-${i}`;
  return text;
}

test('a chat completes through the sidecar with the sidecar key upstream', async () => {
  await simAdmin('DELETE', 'requests');
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'hello' }],
  });
  assert.equal(completion.choices[0].message.content, expectedText());
  assert.equal(completion.usage.completion_tokens, STREAM_EVENTS);
  const { requests } = await simAdmin('GET', 'requests');
  const chat = requests.filter((r) => r.path === '/v1/chat/completions');
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

test('a stream cut after its first event raises an error in the SDK', async () => {
  await simAdmin('POST', 'fault', { resetAfterEvents: 1, times: 1, path: '/v1/chat/completions' });
  try {
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
  } finally {
    await simAdmin('DELETE', 'fault');
  }
});
