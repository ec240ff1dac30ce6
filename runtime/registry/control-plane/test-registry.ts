/**
 * A control plane in this process in front of a real Distribution: the
 * registry image on this engine, its storage root bind-mounted from a temp
 * directory so the control plane shares it as it does on a registry node.
 * For the control plane's tests.
 *
 *   const reg = await startTestRegistry(docker);
 *   await fetch(`${reg.base}/v2/`, { headers: reg.auth('admin') });
 *   await reg.stop();
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import bcrypt from 'bcryptjs';
import { ensureImages } from '../../images/ensure-images';
import { LABELS } from '../../provisioner/provisioner';
import { Demuxer } from '../../provisioner/docker/demux';
import { randomBytes } from 'node:crypto';
import { composeRegistry } from './compose-registry';
import { BUNDLED_VULNDB } from '../../images/registry-bundle';

export async function startTestRegistry(docker: Docker, options: { webhookRetryDelaysMs?: number[] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-cp-'));
  const images = await ensureImages(docker, { names: ['registry'] });
  // A network of its own: a stopped and restarted container keeps its address (on a shared
  // network another test's container can take it meanwhile).
  const labels = { [LABELS.managed]: 'true', [LABELS.session]: `cptest${process.pid}` };
  const networkName = `labdock-cptest-${process.pid}-${randomBytes(3).toString('hex')}`;
  const network = docker.getNetwork((await docker.createNetwork({ Name: networkName, Labels: labels })).id);
  const gateway = ((await network.inspect()).IPAM?.Config ?? [])[0]?.Gateway as string;

  // Distribution's notifications come back to this process, on the network's gateway (the host).
  const eventsToken = randomBytes(16).toString('hex');
  let receiver: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => void res.writeHead(503).end();
  const events = http.createServer((req, res) => receiver(req, res));
  await new Promise<void>((r) => events.listen(0, gateway, () => r()));
  const eventsUrl = `http://${gateway}:${(events.address() as { port: number }).port}/events`;

  // Without TLS settings the registry image runs Distribution alone, on :5000.
  const container = await docker.createContainer({
    Image: images.registry,
    Labels: labels,
    Env: [`LABDOCK_EVENTS_URL=${eventsUrl}`, `LABDOCK_EVENTS_TOKEN=${eventsToken}`],
    HostConfig: { NetworkMode: networkName, Binds: [`${dir}/registry:/var/lib/labdock-registry`] },
  });
  await container.start();
  const ip = (await container.inspect()).NetworkSettings.Networks[networkName].IPAddress;
  for (let i = 0; i < 100 && !(await fetch(`http://${ip}:5000/v2/`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));

  const registry = composeRegistry({
    state: dir,
    storageRoot: path.join(dir, 'registry/distribution'),
    distribution: { host: ip, port: 5000 },
    collect: () => execIn(container, ['docker-registry', 'garbage-collect', '--delete-untagged', '/etc/labdock/distribution.yml']),
    eventsToken,
    host: 'dtr.labdock',
    logFiles: { distribution: path.join(dir, 'registry/distribution.log') },
    vulnDbBundled: BUNDLED_VULNDB,
    print: () => undefined,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs,
  });
  receiver = registry.notifications;
  registry.accounts.ensureAdmin('admin', await bcrypt.hash('admin-password', 4));
  const server = http.createServer((req, res) => void registry.handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const auth = (user: string, password = `${user}-password`) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
  const api = (method: string, p: string, body?: unknown, user = 'admin') =>
    fetch(`${base}/api/v0/${p}`, { method, headers: { ...auth(user), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  return {
    ...registry, base, dir, container, gateway, ip, auth, api,
    async stop() {
      registry.stop();
      server.close();
      events.close();
      await container.remove({ force: true, v: true }).catch(() => undefined);
      await network.remove().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a command in the container; resolves with its output, rejects with it when the exit code is not 0. */
async function execIn(container: Docker.Container, cmd: string[]): Promise<string> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  let out = '';
  const demux = new Demuxer((payload) => (out += Buffer.from(payload).toString('utf8')));
  stream.on('data', (c: Buffer) => demux.push(c));
  await new Promise((r) => stream.on('end', r));
  const { ExitCode } = await exec.inspect();
  if (ExitCode !== 0) throw new Error(`${cmd.join(' ')} exited ${ExitCode}: ${out.trim().split('\n').pop()}`);
  return out;
}
