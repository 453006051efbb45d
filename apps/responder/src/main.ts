import { runService } from '@desk/runtime';
import { ResponderModule } from './responder.module.js';

await runService('responder', (config) => ResponderModule.forRoot(config));
