// `npm run labs:lint [labs-dir]` — prints `file:line: message` for every problem in every lab; exit 1 on any.
import path from 'node:path';
import { lintLabs } from './lint-labs';

const dir = path.resolve(process.argv[2] ?? 'labs');
const report = await lintLabs(dir);
for (const i of report.issues) console.error(`${i.file}:${i.line}: ${i.message}`);
const total = Object.values(report.timings).reduce((a, b) => a + b, 0);
if (report.issues.length) {
  console.error(`\nlabs:lint: ${report.issues.length} problem(s) in ${report.labs.length} lab(s)`);
  process.exit(1);
}
console.log(`labs:lint: ${report.labs.length} lab(s) OK (${report.labs.join(', ')}) in ${total} ms`);
