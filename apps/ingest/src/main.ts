import { runService } from '@desk/runtime';
import { IngestModule } from './ingest.module.js';

await runService('ingest', (config) => IngestModule.forRoot(config));
