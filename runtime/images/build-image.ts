/**
 * One `docker build` through the engine's API: a folder is streamed as the
 * build context, the engine's progress is turned into step lines a person can
 * follow, and a failure says why in words (an unreachable Debian mirror is
 * named as such, with what to check).
 *
 *   await buildImage(docker, { context: dir, tag: 'labdock/node:3f9a1c0d2b7e', buildArgs: { BASE: base },
 *     labels: { 'labdock.managed': 'true' }, mirror, what: 'node' }, (step) => console.log(step.text));
 */
import tarFs from 'tar-fs';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { mirrorUnreachable, unreachableMessage } from './debian-mirror';

export interface BuildRequest {
  /** Folder sent as the build context (holds the Dockerfile). */
  context: string;
  tag: string;
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  /** Named in the failure message when apt could not fetch. */
  mirror: string;
  /** What is being built, for messages ('node'). */
  what: string;
  /** Ignore the engine's layer cache (a rebuild that fetches current packages). */
  noCache?: boolean;
  /** The engine's network mode for RUN steps ('none' in tests of the unreachable-mirror message). */
  networkMode?: string;
}

export interface BuildLine {
  text: string;
  /** Set on a Dockerfile step's first line: "Step 3/8 : RUN …". */
  step?: { index: number; total: number };
}

/** Lines of the build's output kept for a failure message. */
const TAIL_LINES = 40;
/** apt prints one "Setting up" per package (~150 for the node): one in this many shows it moves. */
const APT_SAMPLE = 25;

export async function buildImage(docker: Docker, request: BuildRequest, onLine: (line: BuildLine) => void): Promise<void> {
  // tar-fs packs with streamx; Readable.from makes it the Node stream the engine's client pipes.
  const context = Readable.from(tarFs.pack(request.context), { objectMode: false });
  const stream = await docker.buildImage(context, {
    t: request.tag,
    buildargs: request.buildArgs,
    labels: request.labels,
    rm: true,
    forcerm: true,
    nocache: request.noCache ?? false,
    ...(request.networkMode ? { networkmode: request.networkMode } : {}),
  });
  let failure: string | null = null;
  const tail: string[] = [];
  let aptLines = 0;
  // Seen anywhere in the build: apt goes on after failed fetches and fails later on "Unable to locate package".
  let unreachable = false;
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()), (event: { stream?: string; error?: string }) => {
      if (event.error) failure = event.error;
      for (const text of (event.stream ?? '').split('\n').map((l) => l.trimEnd()).filter(Boolean)) {
        tail.push(text);
        unreachable ||= mirrorUnreachable(text);
        if (tail.length > TAIL_LINES) tail.shift();
        const step = /^Step (\d+)\/(\d+) : /.exec(text);
        if (step) onLine({ text: clip(text, 160), step: { index: Number(step[1]), total: Number(step[2]) } });
        else if (/^(Get:\d+|Setting up) /.test(text) && aptLines++ % APT_SAMPLE === 0) onLine({ text: `  ${clip(text, 120)}` });
      }
    });
  });
  if (failure) {
    throw new Error(unreachable
      ? unreachableMessage(request.what, request.mirror)
      : `building ${request.what} failed: ${failure}\n${tail.slice(-10).join('\n')}`);
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
