// `npm run scale -- worker=4 [web=2 ...]`: changes the formation of the running `npm start`;
// only the named types change, gracefully.
import { runMain, say } from './lib/console.mjs';
import { sendControl } from './lib/control.mjs';
import { formatFormation } from './lib/procfile.mjs';

runMain(async () => {
  const text = process.argv.slice(2).join(' ');
  if (!text.trim()) throw new Error('usage: npm run scale -- TYPE=COUNT [TYPE=COUNT ...], e.g. worker=4');
  const { formation } = await sendControl('/scale', text);
  say(`formation: ${formatFormation(formation)}`);
});
