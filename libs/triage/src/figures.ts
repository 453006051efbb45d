// Figures of speech that use the words of danger without the danger: "this wait is killing me",
// "dying for a brew", "I could murder a bacon sandwich", "nearly died laughing", "bored to death".
// They are blanked out (same length, so offsets hold) before the urgent rules read the message,
// and reported, so an officer sees why "killing" did not raise an alarm.

export interface Figure {
  readonly text: string;
  readonly index: number;
  /** A figure that also voices a grievance ("the parking is killing me", "kill me now"). */
  readonly grievance: boolean;
}

const PEOPLE = 'he|she|they|him|her|husband|wife|partner|boyfriend|girlfriend|bf|gf|ex|dad|mum|mam|mom|father|mother|stepdad|stepmum|son|daughter|brother|sister|uncle|carer|someone|somebody|man|woman|bloke|guy|lad|he\'s|she\'s|they\'re';

interface FigurePattern {
  readonly re: RegExp;
  readonly grievance: boolean;
  /** A cheap test that must pass before the pattern runs. */
  readonly gate: RegExp;
}

const PATTERNS: readonly FigurePattern[] = [
  // "<thing> is killing me", but not "he is killing me"
  {
    re: new RegExp(
      `\\b(?:(?:this|the|that|these|those|my|your|our|his|her) (?:[\\p{L}']+ ){0,2}?)?(?!(?:${PEOPLE})\\b)[\\p{L}]+(?:'s| (?:is|are|was|were|has been|have been|keeps|kept)) (?:literally |actually |honestly |absolutely |slowly |really |just )?killing (?:me|us|my \\w+|him|her)\\b`,
      'giu',
    ),
    grievance: true,
    gate: /killing/i,
  },
  { re: /\bkill me now\b|\bshoot me now\b|\bjust kill me\b|\bthe death of me\b|\bover my dead body\b/giu, grievance: true, gate: /kill|shoot|death|dead/i },
  { re: /\b(?:i'?m |i am |am |im )?dying (?:for|to) (?:a |an |some |my |get |see |know |meet |hear |go |try |find )?[\p{L}']+/giu, grievance: false, gate: /dying/i },
  { re: /\b(?:could|would|'d) (?:kill|murder) (?:for )?(?:a |an |some |the )?[\p{L}']+/giu, grievance: false, gate: /kill|murder/i },
  { re: /\b(?:nearly |almost |literally |could have |could've |just )?(?:died|dying|dead) (?:of |from |with )?(?:laughing|laughter|embarrassment|shame|boredom|fright|shock|cringe)\b/giu, grievance: false, gate: /died|dying|dead/i },
  { re: /\b(?:i'?m |im )(?:dead|dying|deceased|weak)\s*(?:😂|🤣|💀|lol|lmao|haha)/giu, grievance: false, gate: /dead|dying|deceased|weak/i },
  { re: /\b(?:bored|scared|worried|sick|tired|frightened|fed up|done) to death\b/giu, grievance: true, gate: /death/i },
  { re: /\bdead (?:tired|on my feet|beat|chuffed|good|easy|proud|jealous|excited)\b/giu, grievance: false, gate: /dead/i },
  { re: /\bmy (?:legs|feet|back|knees|arms|phone|battery) (?:are|is|was|were) (?:dead|killing me|in bits|murder)\b/giu, grievance: true, gate: /legs|feet|back|knees|arms|phone|battery/i },
  { re: /\b(?:to die for|killing it|smashed it|break a leg|drop-dead gorgeous)\b/giu, grievance: false, gate: /die|kill|smash|break|drop/i },
  { re: /\b(?:nearly |almost )?(?:gave|give|giving) (?:me|him|her) (?:a )?heart attack\b|\b(?:nearly|almost) had (?:a )?heart attack\b/giu, grievance: true, gate: /heart attack/i },
  { re: /\b(?:is|are|was) (?:absolute |sheer )?murder (?:on|for)\b/giu, grievance: true, gate: /murder/i },
  { re: /\b(?:career|political|financial|social|commercial) suicide\b|\bsuicide mission\b/giu, grievance: false, gate: /suicide/i },
  { re: /\boverdos\w* on (?:chocolate|caffeine|coffee|sugar|cake|christmas|netflix|telly|tv|sweets)\b/giu, grievance: false, gate: /overdos/i },
  { re: /\b(?:thought|felt like|felt as if|honestly thought|was sure|was convinced|genuinely thought) (?:i|he|she|we|they)(?: was| were|'d|'s| had| might)? (?:going to|gonna|about to|be) (?:die|dying)\b|\bthought (?:i|he|she) was dying\b/giu, grievance: false, gate: /die|dying/i },
  { re: /\bwant(?:ed)? to die (?:of|from) (?:embarrassment|shame|boredom)\b/giu, grievance: false, gate: /die/i },
];

/** Figures of speech in the text, and the text with them blanked out. */
const GATE_RE = /kill|dying|died|dead|death|murder|suicide|overdos|heart attack|break a leg|smashed|shoot|\bdie\b/;

/** `lower` may pass the text already lower-cased (same length), to test the gate cheaply. */
export function findFigures(text: string, lower: string = text.toLowerCase()): { figures: Figure[]; masked: string } {
  if (!GATE_RE.test(lower)) return { figures: [], masked: text };
  let masked = text;
  const figures: Figure[] = [];
  for (const p of PATTERNS) {
    if (!p.gate.test(text)) continue;
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m !== null; m = p.re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      // one figure, however many patterns see it
      if (figures.some((f) => start < f.index + f.text.length && f.index < end)) continue;
      figures.push({ text: m[0], index: m.index, grievance: p.grievance });
      masked = masked.slice(0, m.index) + ' '.repeat(m[0].length) + masked.slice(m.index + m[0].length);
    }
  }
  return { figures, masked };
}
