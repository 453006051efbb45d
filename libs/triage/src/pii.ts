// Personal data of a patient in a message (TRIAGE.md `pii`): an NHS number (10 digits whose
// Modulus 11 check digit is valid), a date of birth with a name, a hospital number, a phone number
// or a home address (a street address or a full postcode given as someone's own).
// A phone number in an email's signature is the sender's work contact, not a patient's data.

export type PiiKind = 'nhs_number' | 'phone' | 'postcode' | 'address' | 'date_of_birth' | 'hospital_number';

export interface PiiFinding {
  readonly kind: PiiKind;
  readonly text: string;
  readonly index: number;
}

/** Modulus 11: weights 10..2 on the first nine digits; check = 11 - (sum mod 11); 11 → 0; 10 → invalid. */
export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === digits.charCodeAt(9) - 48;
}

// Ten digits, as one run or grouped 3-3-4 with spaces or dashes; never part of a longer digit run.
const NHS_RE = /(?<![\d-])(?:\d{3}[ -]?\d{3}[ -]?\d{4})(?![\d]|-\d)/g;

/** NHS numbers with a valid check digit. */
export function findNhsNumbers(text: string): PiiFinding[] {
  const out: PiiFinding[] = [];
  NHS_RE.lastIndex = 0;
  for (let m = NHS_RE.exec(text); m !== null; m = NHS_RE.exec(text)) {
    // "0161 496 0000" has 11 digits: the lookbehind keeps us from starting inside it
    if (isValidNhsNumber(m[0])) out.push({ kind: 'nhs_number', text: m[0], index: m.index });
  }
  return out;
}

// UK numbers: +44 / 0044 / 0, then 9 or 10 more digits with spaces, dashes or brackets between.
const PHONE_RE = /(?<![\d+])(?:(?:\+|00)44[\s-]?(?:\(0\)[\s-]?)?|\(?0)\d(?:[\s-]?\)?[\s-]?\d){8,9}(?!\d)/g;

/** UK phone numbers (mobiles 07..., geographic 01.../02..., 03..., 08..., with +44 or 0). */
export function findPhoneNumbers(text: string): PiiFinding[] {
  const out: PiiFinding[] = [];
  PHONE_RE.lastIndex = 0;
  for (let m = PHONE_RE.exec(text); m !== null; m = PHONE_RE.exec(text)) {
    let digits = m[0].replace('(0)', '').replace(/\D/g, '');
    if (digits.startsWith('0044')) digits = `0${digits.slice(4)}`;
    else if (digits.startsWith('44')) digits = `0${digits.slice(2)}`;
    if (digits.startsWith('00')) continue;
    // UK national numbers are 0 + 9 or 10 digits; the second digit says which kind
    if ((digits.length !== 11 && digits.length !== 10) || !/^0[1-9]/.test(digits)) continue;
    if (digits.length === 10 && !/^01/.test(digits) && !/^0800/.test(digits)) continue;
    out.push({ kind: 'phone', text: m[0], index: m.index });
  }
  return out;
}

// Full UK postcode: outward code (A9, A99, AA9, AA99, A9A, AA9A) and inward code (9AA).
const POSTCODE_RE = /\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b/gi;

export function findPostcodes(text: string): PiiFinding[] {
  const out: PiiFinding[] = [];
  POSTCODE_RE.lastIndex = 0;
  for (let m = POSTCODE_RE.exec(text); m !== null; m = POSTCODE_RE.exec(text)) {
    // "5 mins", "2 wks" are not postcodes: the outward code must start with a letter and hold a digit
    if (!/\d/.test(m[0]) || !/^[a-z]/i.test(m[0])) continue;
    // all lower case is allowed only with the space ("hx7 4qd"), to keep words like "b12" apart
    if (m[0] === m[0].toLowerCase() && !m[0].includes(' ')) continue;
    out.push({ kind: 'postcode', text: m[0], index: m.index });
  }
  return out;
}

const STREET =
  'Road|Rd|Street|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Cres|Grove|Place|Terrace|Court|Gardens|Gdns|Walk|Row|Hill|Mews|Square|Rise|View|Parade|Vale|Fold|Croft|Meadows?|Bank|Brow|Green|Park|Wynd|Chase|Gate|Lea|Side';
// "41 Beckside Road", "7 Mill Lane", "Flat 3, 12 Holly Close"
const ADDRESS_RE = new RegExp(`\\b(?:[Ff]lat \\d+[a-z]?,? )?\\d{1,4}[a-zA-Z]?,? (?:[A-Z][a-z'\\-]+ ){1,3}(?:${STREET})\\b`, 'g');

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE = `(?:\\d{1,2}[/.\\-]\\d{1,2}[/.\\-](?:19|20)?\\d{2}|\\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:${MONTHS}),? (?:19|20)\\d{2}|(?:${MONTHS}) \\d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\\d{2})`;
const DOB_RE = new RegExp(`\\b(?:d\\.?o\\.?b\\.?|date of birth|born on|birth ?date|birthday is)\\s*(?:is|was|:|-)?\\s*${DATE}`, 'gi');
// "Name Surname" written with capitals, not a sentence start of ordinary words
const NAME_RE = /\b[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z'’]+(?:-[A-Z][a-z]+)?\b/;
const HOSPITAL_NUMBER_RE = /\b(?:hospital|hosp|patient|unit|case ?note|medical record)\.? ?(?:no\.?|number|num|#|id|ref)\.?:? ?(?:is |was )?[A-Z]{0,4}\d{5,10}[A-Z]?\b|\bMRN:? ?(?:is )?[A-Z]{0,4}\d{5,10}\b/gi;

// Where a postcode belongs to a place, not a person: "postcode for the maternity entrance".
const PLACE_POSTCODE_RE = /\b(?:postcode (?:for|of)|sat ?nav|entrance|site|hospital|unit|clinic|centre|center|car park)\b/i;
const OWN_PLACE_RE = /\b(?:my|our|his|her|their|i live|we live|lives at|address|moved|letters?|house|home|flat)\b/i;

const SIGN_OFF_RE = /^\s*(?:kind regards|best regards|warm regards|warmest regards|many thanks|thanks(?: again| so much)?|thank you|best wishes|best|cheers|regards|sincerely|yours(?: sincerely| faithfully| truly)?|with thanks|with gratitude|with love|all the best|thanks in advance)[,.!]?\s*$/im;

/** Index where an email's signature starts (after its sign-off line), or -1. */
export function signatureStart(text: string): number {
  const m = SIGN_OFF_RE.exec(text);
  return m === null ? -1 : m.index;
}

export interface PiiContext {
  readonly email: boolean;
  /** The author's display name, when the channel shows a real name. */
  readonly authorName?: string;
}

/** Personal data found in the text; an empty list means no `pii` flag. */
export function findPii(text: string, context: PiiContext): PiiFinding[] {
  const out: PiiFinding[] = [];
  // every kind of personal data we look for contains a digit
  if (!/\d/.test(text)) return out;
  const longNumber = /\d\d\d/.test(text);
  const nhs = longNumber ? findNhsNumbers(text) : [];
  out.push(...nhs);
  const signature = context.email ? signatureStart(text) : -1;
  for (const p of longNumber ? findPhoneNumbers(text) : []) {
    if (signature >= 0 && p.index > signature) continue;
    // the same digits read as a valid NHS number are reported once, as an NHS number
    if (nhs.some((n) => Math.abs(n.index - p.index) <= 1)) continue;
    out.push(p);
  }
  ADDRESS_RE.lastIndex = 0;
  for (let m = ADDRESS_RE.exec(text); m !== null; m = ADDRESS_RE.exec(text)) {
    if (signature >= 0 && m.index > signature) continue;
    out.push({ kind: 'address', text: m[0], index: m.index });
  }
  for (const p of findPostcodes(text)) {
    if (signature >= 0 && p.index > signature) continue;
    const around = text.slice(Math.max(0, p.index - 60), p.index + p.text.length + 20);
    const nearAddress = out.some((f) => f.kind === 'address' && p.index - (f.index + f.text.length) < 40 && p.index > f.index);
    if (!nearAddress && (PLACE_POSTCODE_RE.test(around) || !OWN_PLACE_RE.test(around))) continue;
    out.push(p);
  }
  DOB_RE.lastIndex = 0;
  for (let m = DOB_RE.exec(text); m !== null; m = DOB_RE.exec(text)) {
    const named = NAME_RE.test(text.slice(Math.max(0, m.index - 80), m.index + m[0].length + 60)) || !!context.authorName;
    if (named) out.push({ kind: 'date_of_birth', text: m[0], index: m.index });
  }
  HOSPITAL_NUMBER_RE.lastIndex = 0;
  for (let m = HOSPITAL_NUMBER_RE.exec(text); m !== null; m = HOSPITAL_NUMBER_RE.exec(text)) {
    if (nhs.some((n) => n.index >= m!.index && n.index <= m!.index + m![0].length)) continue;
    out.push({ kind: 'hospital_number', text: m[0], index: m.index });
  }
  return out;
}
