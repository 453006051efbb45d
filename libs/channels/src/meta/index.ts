// Meta (Facebook Page and Instagram) inbound: webhook signature, subscription handshake, parsing.
export { checkSignature, SIGNATURE_HEADER, type SignatureCheck } from './signature.js';
export { answerVerification, type VerificationAnswer } from './verification.js';
export { parseWebhook, MAX_CHANGES, type WebhookParse } from './webhook.js';
export { MAX_TEXT_CHARS, type ParseOptions } from './change.js';
