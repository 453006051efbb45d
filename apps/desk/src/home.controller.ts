import { Controller, Get, Header } from '@nestjs/common';

/**
 * The desk's front door. The web desk itself is served here once it is built; until then this
 * page says what is running rather than answering 404 at the address `npm start` prints.
 */
@Controller()
export class HomeController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home(): string {
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Engagement desk</title></head>
<body><h1>Engagement desk</h1>
<p>The desk API is running. Service health: <a href="/health">/health</a>.</p>
<p>The officers' web desk is not part of this build yet.</p></body></html>`;
  }
}
