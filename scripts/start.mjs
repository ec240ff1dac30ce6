// `npm start`: prepare what is missing, then run the labdock server.
import { spawn } from 'node:child_process';
import { prepare, root, step } from './prepare.mjs';

const { dockerProblem } = prepare();
if (dockerProblem) console.log(`\n! ${dockerProblem}\n  labdock starts anyway; the catalog marks the labs that need Docker.`);
step('starting labdock (node images are built on first start, with progress below)');
const server = spawn(process.execPath, ['--import', 'tsx', 'runtime/server.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
