import { runService } from '@desk/runtime';
import { DeskModule } from './desk.module.js';

await runService('desk', (config) => DeskModule.forRoot(config));
