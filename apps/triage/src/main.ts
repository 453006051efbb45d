import { runService } from '@desk/runtime';
import { TriageModule } from './triage.module.js';

await runService('triage', (config) => TriageModule.forRoot(config));
