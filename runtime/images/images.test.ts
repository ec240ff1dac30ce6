// Images: input hashes (pure), the host mirror, and on a real engine the node image's build, its
// unreachable-mirror message, and a DinD node that answers `docker version` with overlay2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { dindHostConfig, DIND_DATA_DIR, ensureBase, ensureImages, resolveImageTag } from './ensure-images';
import { IMAGES_DIR, tagForInputs } from './image-set';
import { hostDebianMirror } from './debian-mirror';
import { buildImage } from './build-image';
import { LABELS } from '../provisioner/provisioner';

const docker = new Docker();
const engine = await docker.ping().then(() => true, () => false);
const skip = engine ? false : 'no Docker engine';
const session = `t-${Math.random().toString(36).slice(2, 10)}`;
const labels = (node: string) => ({ [LABELS.managed]: 'true', [LABELS.session]: session, [LABELS.node]: node });

function tempDir(t: { after: (fn: () => void) => void }, prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('input hash: stable for the same inputs, changes with the Dockerfile, a file or the base, not with mtimes', (t) => {
  const base = 'labdock/base:0123456789ab';
  const copy = tempDir(t, 'labdock-hash-');
  cpSync(path.join(IMAGES_DIR, 'node'), copy, { recursive: true });
  const tag = resolveImageTag('node', base);
  assert.match(tag, /^labdock\/node:[0-9a-f]{12}$/);
  assert.equal(resolveImageTag('node', base), tag, 'same inputs, same tag');
  assert.equal(tagForInputs('node', copy, base), tag, 'a copy of the folder hashes the same');
  utimesSync(path.join(copy, 'Dockerfile'), new Date(0), new Date(0));
  assert.equal(tagForInputs('node', copy, base), tag, 'mtimes do not count');
  assert.notEqual(tagForInputs('node', copy, 'labdock/base:ba9876543210'), tag, 'the base counts');
  writeFileSync(path.join(copy, 'Dockerfile'), `${readFileSync(path.join(copy, 'Dockerfile'), 'utf8')}# edited\n`);
  const edited = tagForInputs('node', copy, base);
  assert.notEqual(edited, tag, 'an edited Dockerfile changes the tag');
  writeFileSync(path.join(copy, 'extra.txt'), 'x');
  assert.notEqual(tagForInputs('node', copy, base), edited, 'a new context file changes the tag');
});

test('host mirror: the main archive from deb822 or one-line sources, skipping security and disabled entries', (t) => {
  const apt = tempDir(t, 'labdock-apt-');
  assert.equal(hostDebianMirror(apt), 'http://deb.debian.org/debian', 'nothing configured: the default mirror');
  mkdirSync(path.join(apt, 'sources.list.d'));
  writeFileSync(path.join(apt, 'sources.list.d', 'a.sources'), [
    'Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\nComponents: main',
    'Enabled: no\nTypes: deb\nURIs: http://disabled.example/debian\nSuites: bookworm\nComponents: main',
    'Types: deb\n# a comment\nURIs: http://mirror.example/debian/\nSuites: bookworm bookworm-updates\nComponents: main',
  ].join('\n\n'));
  writeFileSync(path.join(apt, 'sources.list.d', 'other.list.disabled'), 'deb http://ignored.example/debian bookworm main\n');
  assert.equal(hostDebianMirror(apt), 'http://mirror.example/debian');
  writeFileSync(path.join(apt, 'sources.list'), '# local\ndeb [arch=amd64] http://local.example/debian bookworm main\n');
  assert.equal(hostDebianMirror(apt), 'http://local.example/debian', 'sources.list comes first');
});

test('ensureImages: the node image is built or found, tagged by its inputs, with labdock labels', { skip, timeout: 900_000 }, async (t) => {
  const events: string[] = [];
  const started = Date.now();
  const tags = await ensureImages(docker, { names: ['node'], onProgress: (e) => events.push(`${e.image} ${e.state}`) });
  const seconds = (Date.now() - started) / 1000;
  t.diagnostic(`node image: ${events.includes('node cached') ? 'cached' : 'built'} in ${seconds.toFixed(1)} s`);
  assert.deepEqual(Object.keys(tags), ['node']);
  assert.equal(tags.node, resolveImageTag('node'));
  assert.ok(events.includes('node cached') || events.includes('node done'), events.join(', '));
  const info = await docker.getImage(tags.node).inspect();
  assert.equal(info.Config.Labels?.['labdock.managed'], 'true');
  assert.equal(info.Config.Labels?.['labdock.image'], 'node');
  assert.equal(info.Config.Labels?.['labdock.inputs'], tags.node.split(':')[1]);
  assert.ok(info.Config.Labels?.['org.opencontainers.image.description']);
  // A second call finds it: nothing is built twice.
  const again: string[] = [];
  await ensureImages(docker, { names: ['node'], onProgress: (e) => again.push(`${e.image} ${e.state}`) });
  assert.deepEqual(again, ['node cached']);
});

test('a build whose apt cannot reach the Debian mirror says so and what to check', { skip, timeout: 600_000 }, async (t) => {
  const base = await ensureBase(docker);
  const context = tempDir(t, 'labdock-offline-');
  writeFileSync(path.join(context, 'Dockerfile'), 'ARG BASE\nFROM ${BASE}\nRUN apt-get update -q && apt-get install -y -q --no-install-recommends hello\n');
  const tag = `labdock/offline-test:${session}`;
  t.after(() => docker.getImage(tag).remove({ force: true }).catch(() => undefined));
  await assert.rejects(
    // No network for RUN steps, no layer cache: apt really tries and fails.
    buildImage(docker, { context, tag, buildArgs: { BASE: base }, labels: labels('offline'), mirror: 'http://deb.debian.org/debian', what: 'offline-test', noCache: true, networkMode: 'none' }, () => undefined),
    /could not reach the Debian mirror http:\/\/deb\.debian\.org\/debian: check .*apt-get update/,
  );
});

test('node: dindHostConfig() + a volume answers `docker version` within 10 s, overlay2, mirror and CA configured', { skip, timeout: 600_000 }, async (t) => {
  const { node } = await ensureImages(docker, { names: ['node'] });
  const ca = execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=labdock test CA', '-days', '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const volume = await docker.createVolume({ Name: `labdock-${session}-node1-docker`, Labels: labels('node1') });
  const container = await docker.createContainer({
    name: `labdock-${session}-node1`,
    Image: node,
    Hostname: 'node1',
    Labels: labels('node1'),
    Env: ['LABDOCK_REGISTRY_MIRROR=hub-mirror.test:5000', 'LABDOCK_REGISTRY_HOST=dtr.test', `LABDOCK_REGISTRY_CA=${ca}`],
    HostConfig: { ...dindHostConfig(), Binds: [...dindHostConfig().Binds, `${volume.name}:${DIND_DATA_DIR}`] },
  });
  t.after(async () => {
    await container.remove({ force: true, v: true }).catch(() => undefined);
    await docker.getVolume(volume.name).remove().catch(() => undefined);
  });

  const started = Date.now();
  await container.start();
  let ready = false;
  while (!ready && Date.now() - started < 10_000) {
    ready = (await run(container, ['docker', 'version', '--format', '{{.Server.Version}}'])).code === 0;
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  const readySeconds = (Date.now() - started) / 1000;
  t.diagnostic(`node ready (start → docker version answers): ${readySeconds.toFixed(2)} s`);
  assert.ok(ready, `docker version did not answer within 10 s:\n${(await run(container, ['tail', '-20', '/var/log/dockerd.log'])).out}`);

  assert.equal((await run(container, ['docker', 'info', '--format', '{{.Driver}}'])).out.trim(), 'overlay2');
  assert.match((await run(container, ['docker', 'info', '--format', '{{json .RegistryConfig.Mirrors}}'])).out, /http:\/\/hub-mirror\.test:5000\//);
  assert.equal((await run(container, ['cat', '/etc/docker/certs.d/dtr.test/ca.crt'])).out.trim(), ca.trim());
  assert.equal((await run(container, ['sh', '-c', `grep -c 'BEGIN CERTIFICATE' /etc/ssl/certs/labdock-registry.pem`])).code, 0, 'the CA is in the system trust');
  // The notary CLI is preconfigured for the registry: its trust server, docker's trust dir, the CA.
  assert.deepEqual(JSON.parse((await run(container, ['cat', '/root/.notary/config.json'])).out), {
    trust_dir: '/root/.docker/trust', remote_server: { url: 'https://dtr.test', root_ca: '/etc/docker/certs.d/dtr.test/ca.crt' },
  });
  const tools = await run(container, ['sh', '-c', 'for t in docker dockerd skopeo notary jq git curl dig ping vi nano less tini ip iptables openssl ps; do command -v $t >/dev/null || echo missing $t; done']);
  assert.equal(tools.out.trim(), '', tools.out);
  const shell = await run(container, ['bash', '-ic', 'echo "$PS1|$TERM"']);
  assert.match(shell.out, /\[\\u@\\h \\W\]\\\$ \|xterm-256color/);
});

test('node: a registry host without its CA is refused at start (fail closed)', { skip, timeout: 120_000 }, async (t) => {
  const { node } = await ensureImages(docker, { names: ['node'] });
  const container = await docker.createContainer({ name: `labdock-${session}-bad`, Image: node, Labels: labels('bad'), Env: ['LABDOCK_REGISTRY_HOST=dtr.test'],
    // A tmpfs where the image declares its volume: no unlabelled anonymous volume is left behind.
    HostConfig: { Tmpfs: { [DIND_DATA_DIR]: '' } } });
  t.after(() => container.remove({ force: true, v: true }).catch(() => undefined));
  await container.start();
  const { StatusCode } = await container.wait();
  assert.equal(StatusCode, 1);
  const logs = (await container.logs({ stdout: true, stderr: true })).toString();
  assert.match(logs, /LABDOCK_REGISTRY_HOST and LABDOCK_REGISTRY_CA must be set together/);
});

/** docker exec without a TTY: exit code and the combined output (frame headers stripped). */
async function run(container: Docker.Container, cmd: string[]): Promise<{ code: number; out: string }> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const raw = Buffer.concat(chunks);
  const out: Buffer[] = [];
  for (let i = 0; i + 8 <= raw.length; i += 8 + raw.readUInt32BE(i + 4)) out.push(raw.subarray(i + 8, i + 8 + raw.readUInt32BE(i + 4)));
  return { code: (await exec.inspect()).ExitCode ?? -1, out: Buffer.concat(out).toString() };
}
