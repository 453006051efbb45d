import type { NestExpressApplication } from '@nestjs/platform-express';
import { runService } from '@desk/runtime';
import { DeskModule } from './desk.module.js';
import { securityHeaders } from './http/security-headers.js';
import { defaultStaticDir, webApp } from './web/web-app.js';

await runService('desk', (config) => DeskModule.forRoot(config), {
  configure: (app, config) => {
    const express = app as NestExpressApplication;
    if (config.desk?.trustProxy) express.set('trust proxy', true);
    express.disable('x-powered-by');
    express.use(securityHeaders);
    express.use(webApp(config.desk?.staticDir ?? defaultStaticDir()));
  },
});
