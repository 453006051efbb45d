// X (Twitter): Account Activity webhooks (v1.1 shapes), the polled v2 mention timeline and DM
// events, and the API client. Settings come in as plain values; nothing here reads configuration.
export * from './signature.js';
export { parseAccountActivity, type ActivityOptions, type ParsedActivity } from './account-activity.js';
export { readMentionsPage, readDmEventsPage, MENTION_QUERY, DM_QUERY, type PageOptions, type TimelinePage, type ParsedPage } from './timeline.js';
export { XApiClient, XApiFailure, XRateLimited, baseUrlPlugin, rateLimitReset, asXError, type XApiSettings, type XPage } from './client.js';
export { compareIds, dmThreadKey, snowflakeTime, tweetUrl } from './values.js';
export { XOutboundClient, refuseReplyText, refuseDmText, MAX_LOOKUP_PAGES, DM_CLOCK_SKEW_MS, type XOutboundSettings } from './outbound.js';
export { failureFromXError, describeXError, judgeXError, capBody, type XCallContext, type XCallError } from './outbound-errors.js';
export { xWeightedLength, comparableXText, sameXText, X_MAX_WEIGHTED_LENGTH, X_MAX_DM_LENGTH } from './outbound-text.js';
