// Meta (Facebook Page and Instagram) inbound: webhook signature, subscription handshake, parsing.
export { checkSignature, SIGNATURE_HEADER, type SignatureCheck } from './signature.js';
export { answerVerification, type VerificationAnswer } from './verification.js';
export { parseWebhook, MAX_CHANGES, type WebhookParse } from './webhook.js';
export { MAX_TEXT_CHARS, type ParseOptions } from './change.js';
// Meta outbound: replies and hides through the Graph API, with its errors and usage headers read.
export { GraphOutboundClient, appSecretProof, normaliseText, MAX_COMMENT_CHARS, MAX_FIND_PAGES, type GraphOutboundSettings } from './outbound.js';
export { readGraphError, classifyGraphError, graphAnswerFailure, graphNetworkFailure, graphErrorMessage, isMissingObject, keptBody, MAX_KEPT_BODY_BYTES, type GraphError, type GraphAnswer, type FailureContext } from './graph-errors.js';
export { readGraphUsage, pacingDeadline, rateLimitedUntil, readRetryAfter, headerValue, DEFAULT_PACING, DEFAULT_RATE_LIMIT_MS, USAGE_HEADERS, type GraphUsage, type PacingPolicy, type HeaderSource } from './graph-usage.js';
