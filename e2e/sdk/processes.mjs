// Starts the simulator and sidecar jars as real child processes and stops them again.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import readline from 'node:readline';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** How long a JVM may take to print its ready line on a busy 2-core machine. */
export const START_TIMEOUT_MS = 30_000;
/** How long a child gets to exit after SIGTERM before SIGKILL. */
export const STOP_TIMEOUT_MS = 5_000;

export function jarPath(envName, relative) {
  const jar = process.env[envName] || path.join(repoRoot, relative);
  if (!existsSync(jar)) {
    throw new Error(`${envName}: ${jar} does not exist; build it first (make build) or set ${envName}`);
  }
  return jar;
}

/**
 * Spawns `java -jar jar ...args` and resolves once a stdout line matches `readyPattern`,
 * with the match and the child. Rejects with the collected output on exit or timeout.
 */
export function startJava(label, jar, args, env, readyPattern) {
  const child = spawn('java', ['-XX:+UseSerialGC', '-jar', jar, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  const stderr = readline.createInterface({ input: child.stderr });
  stderr.on('line', (line) => output.push(`[${label} stderr] ${line}`));
  const stdout = readline.createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stopJava(child);
      reject(new Error(`${label} printed no ready line within ${START_TIMEOUT_MS} ms:\n${output.join('\n')}`));
    }, START_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${label} could not start: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (code ${code}, signal ${signal}) before ready:\n${output.join('\n')}`));
    });
    stdout.on('line', (line) => {
      output.push(`[${label}] ${line}`);
      const match = readyPattern.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, output });
      }
    });
  });
}

/** SIGTERM, then SIGKILL if the child is still alive after STOP_TIMEOUT_MS. */
export async function stopJava(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
  });
  if ((await Promise.race([exited, timedOut])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it; we release it at once). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
