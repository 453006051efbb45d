import { runService } from '@desk/runtime';
import { IngestModule } from './ingest.module.js';

// Webhook bodies are read raw by the webhook middleware, not by Nest's JSON parser.
await runService('ingest', (config) => IngestModule.forRoot(config), { bodyParser: false });
