// With the fake drivers, `npm start` runs the local fake X and Graph APIs too, so what the responder
// sends goes somewhere and the whole system works on one machine without credentials.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './env.mjs';

const load = (path) => import(pathToFileURL(join(ROOT, 'dist', path)).href);

export async function startFakeProviders(env, say) {
  const { FAKE_CREDENTIALS } = await load('libs/config/src/index.js');
  const running = [];
  if (env.X_DRIVER !== 'live' && !env.X_API_BASE_URL) {
    const fixtures = process.env.X_FIXTURES_DIR ?? join(ROOT, '..', 'shared', 'fixtures', 'x');
    if (existsSync(fixtures)) {
      process.env.X_FIXTURES_DIR = fixtures;
      running.push(await start('X API', () => load('test/fakes/x-api.js').then(({ FakeXApi }) => FakeXApi.start(Number(new URL(FAKE_CREDENTIALS.x.baseUrl).port))), say));
    } else {
      say(`Fake X API not started: its fixtures (${fixtures}) are missing; X replies will be retried, then shown as failed.`);
    }
  }
  if (env.META_DRIVER !== 'live' && !env.META_GRAPH_URL) {
    const { pageTokens, appSecret, graphUrl } = FAKE_CREDENTIALS.meta;
    running.push(await start('Graph API', () => load('test/fakes/graph-api.js').then(({ FakeGraphApi }) => FakeGraphApi.start(Number(new URL(graphUrl).port), { tokens: { ...pageTokens }, appSecret }).then((fake) => Object.assign(fake, { adoptUnknownComments: true }))), say));
  }
  return running.filter(Boolean);
}

async function start(name, starter, say) {
  try {
    const fake = await starter();
    say(`Fake ${name} on ${fake.url}`);
    return fake;
  } catch (error) {
    say(`Fake ${name} not started (${error.message}); its sends will be retried, then shown as failed.`);
    return undefined;
  }
}
