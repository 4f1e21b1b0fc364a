// The demo server as its own process, for the kill -9 test: the state folder
// is argv[2], the database DATABASE_URL if set. Prints {"port": n} once it listens.
import { createDemo } from '../../demo/server.mjs';

const demo = await createDemo({
  port: 0,
  stateDir: process.argv[2],
  databaseUrl: process.env.DATABASE_URL || undefined,
});
const server = await demo.listen();
const at = server.address();
process.stdout.write(`${JSON.stringify({ port: at && typeof at === 'object' ? at.port : 0 })}\n`);
