// The classifier (TRIAGE.md): route, `pii` flag, confidence and the reasons behind them.
// Pure logic: no framework, no I/O. `classify` is all a caller needs; the detectors are exported
// for tests and for tools that want to show their parts.
export type { TriageDecision, TriageInput, TriageReason } from './types.js';
export { classify, THRESHOLD, type ClassifyOptions } from './classify.js';
export { findNhsNumbers, findPhoneNumbers, findPostcodes, findPii, isValidNhsNumber, type PiiFinding, type PiiKind } from './pii.js';
export { findSwearing, type Swear } from './profanity.js';
export { findFigures } from './figures.js';
export { guessLanguage } from './language.js';
export { evaluate, parseExample, type Evaluation, type LabelledExample, type Mistake, type RouteMetrics, type Target } from './evaluate.js';
