// `npm run restart -- web`: rolling restart of every process of one type in the running `npm start`.
import { runMain, say } from './lib/console.mjs';
import { sendControl } from './lib/control.mjs';

runMain(async () => {
  const [type] = process.argv.slice(2);
  if (!type) throw new Error('usage: npm run restart -- TYPE, e.g. web');
  await sendControl('/restart', type);
  say(`restarted every ${type} process`);
});
