import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import type { AtRiskReport, BreachPage, DeflectionReport, ModerationReport, PressReport, SlaReport, VolumeReport } from '@desk/domain';
import { Roles } from '../auth/roles.js';
import { ApiException } from '../http/api-error.js';
import { CSV_BOM, csvLine } from '../http/csv.js';
import { parse } from '../http/parse.js';
import { atRiskRows, BREACH_HEADER, breachRows, channelVolumeRows, deflectionRows, heatmapRows, moderationRows, pressRows, slaRows, volumeRows, type Rows } from './report-csv.js';
import { pick, reportRange, type ResolvedRange } from './report-range.js';
import { decodeCursor, ReportsService } from './reports.service.js';

const MANAGERS = ['manager', 'admin'] as const;
const SlaQuery = z.object({ period: z.enum(['week', 'month']).default('week'), by: z.enum(['channel', 'route', 'officer', 'team']).default('channel') });
const PageQuery = z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

/** Manager reports: figures as JSON for the pages, and every table as a CSV file. */
@Controller('api/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('sla')
  @Roles(...MANAGERS)
  async sla(@Query() query: unknown): Promise<SlaReport> {
    const now = new Date();
    const { period, by } = parse(SlaQuery, pick(query, ['period', 'by']));
    return this.reports.sla(await this.range(query, now), period, by, now);
  }

  @Get('sla.csv')
  @Roles(...MANAGERS)
  async slaCsv(@Query() query: unknown, @Res() res: Response): Promise<void> {
    const report = await this.sla(query);
    send(res, `sla-by-${report.by}-per-${report.period}`, report.range, slaRows(report));
  }

  @Get('volumes')
  @Roles(...MANAGERS)
  async volumes(@Query() query: unknown): Promise<VolumeReport> {
    const now = new Date();
    return this.reports.volumes(await this.range(query, now), now);
  }

  @Get('volumes.csv')
  @Roles(...MANAGERS)
  async volumesCsv(@Query() query: unknown, @Res() res: Response): Promise<void> {
    const report = await this.volumes(query);
    send(res, 'volumes-per-day', report.range, volumeRows(report));
  }

  @Get('volumes-by-channel.csv')
  @Roles(...MANAGERS)
  async channelVolumesCsv(@Query() query: unknown, @Res() res: Response): Promise<void> {
    const report = await this.volumes(query);
    send(res, 'volumes-by-channel', report.range, channelVolumeRows(report));
  }

  @Get('heatmap.csv')
  @Roles(...MANAGERS)
  async heatmapCsv(@Query() query: unknown, @Res() res: Response): Promise<void> {
    const report = await this.volumes(query);
    send(res, 'volumes-per-hour-of-week', report.range, heatmapRows(report));
  }

  @Get('breaches')
  @Roles(...MANAGERS)
  async breaches(@Query() query: unknown): Promise<BreachPage> {
    const now = new Date();
    const { cursor, limit } = parse(PageQuery, pick(query, ['cursor', 'limit']));
    const after = cursor ? decodeCursor(cursor) : null;
    if (cursor && !after) throw new ApiException('invalid', 'cursor: not one this server gave');
    return this.reports.breaches(await this.range(query, now), now, limit, after);
  }

  /** Every breach in the range, written a thousand at a time as they are read. */
  @Get('breaches.csv')
  @Roles(...MANAGERS)
  async breachesCsv(@Query() query: unknown, @Res() res: Response): Promise<void> {
    const now = new Date();
    const range = await this.range(query, now);
    startCsv(res, 'breaches', range);
    res.write(CSV_BOM + csvLine(BREACH_HEADER));
    try {
      for await (const page of this.reports.allBreaches(range, now)) {
        if (!res.write(breachRows(page).map(csvLine).join(''))) await new Promise((resolve) => res.once('drain', resolve));
        if (res.destroyed) return;
      }
      res.end();
    } catch (error) {
      // Headers are gone: all that can be done is to cut the file short, so it can't pass for complete.
      res.destroy(error as Error);
    }
  }

  @Get('at-risk')
  @Roles(...MANAGERS)
  atRisk(): Promise<AtRiskReport> {
    return this.reports.atRisk(new Date());
  }

  @Get('at-risk.csv')
  @Roles(...MANAGERS)
  async atRiskCsv(@Res() res: Response): Promise<void> {
    const report = await this.atRisk();
    const today = report.generatedAt.slice(0, 10);
    send(res, 'at-risk', { from: today, to: today }, atRiskRows(report));
  }

  @Get('deflections')
  @Roles(...MANAGERS)
  async deflections(@Query() query: unknown): Promise<DeflectionReport> {
    const now = new Date();
    return this.reports.deflections(await this.range(query, now), now);
  }

  @Get('deflections.csv')
  @Roles(...MANAGERS)
  async deflectionsCsv(@Query() query: unknown, @Res() res: Response): Promise<void> {
    const report = await this.deflections(query);
    send(res, 'deflections', report.range, deflectionRows(report));
  }

  @Get('press')
  @Roles(...MANAGERS)
  async press(@Query() query: unknown): Promise<PressReport> {
    const now = new Date();
    return this.reports.press(await this.range(query, now), now);
  }

  @Get('press.csv')
  @Roles(...MANAGERS)
  async pressCsv(@Query() query: unknown, @Res() res: Response): Promise<void> {
    const report = await this.press(query);
    send(res, 'press-office', report.range, pressRows(report));
  }

  @Get('moderation')
  @Roles(...MANAGERS)
  async moderation(@Query() query: unknown): Promise<ModerationReport> {
    const now = new Date();
    return this.reports.moderation(await this.range(query, now), now);
  }

  @Get('moderation.csv')
  @Roles(...MANAGERS)
  async moderationCsv(@Query() query: unknown, @Res() res: Response): Promise<void> {
    const report = await this.moderation(query);
    send(res, 'moderation', report.range, moderationRows(report));
  }

  private async range(query: unknown, now: Date): Promise<ResolvedRange> {
    const calendar = await this.reports.calendar();
    return reportRange(query, calendar.settings.timeZone, now);
  }
}

function startCsv(res: Response, name: string, range: { from: string; to: string }): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}-${range.from}-to-${range.to}.csv"`);
  res.setHeader('Cache-Control', 'no-store');
}

function send(res: Response, name: string, range: { from: string; to: string }, rows: Rows): void {
  startCsv(res, name, range);
  res.write(CSV_BOM);
  for (const row of rows) res.write(csvLine(row));
  res.end();
}
