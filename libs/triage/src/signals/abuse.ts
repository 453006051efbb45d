// abuse: abusive, threatening, offensive, harassing or hateful content, or naming staff negatively.
// Swearing is found by ../profanity.ts; these rules cover insults, harassment, hate and the
// naming of staff. Criticism of a service ("useless phone system", "a joke") is a complaint, not abuse.
import { caseRule, rule, type Rule, type RuleOptions } from '../rules.js';

const A = (id: string, weight: number, anchors: string, re: RegExp, options?: RuleOptions): Rule => rule('abuse', id, weight, anchors, re, options);

const INSULT_NOUNS =
  'idiots?|morons?|muppets?|imbeciles?|cretins?|numpties|numpty|halfwits?|scum(?:bags?)?|quacks?|murderers?|vermin|parasites?|clowns?|chimps?|monkeys|cowards?|snowflakes?|fascists?|butchers?|slobs?|pigs|donkeys|dimwits?|buffoons?|nonces?|losers|jokers|lunatics|incompetents|wasters?|leeches';
const PEOPLE = '(?:you|you lot|you people|u lot|ur lot|the lot of you|all of you|every one of you|each of you|they|them|staff|nurses|doctors|managers|management|receptionists?|midwives|surgeons|consultants|porters|whoever runs this(?: account| page)?|whoever is running this|the people running this|your (?:comms|communications|social media|pr|press) (?:team|people|department)|this trust|these people)';

export const ABUSE_RULES: readonly Rule[] = [
  // insults aimed at people
  A('abuse.insult_noun', 3, 'idiot idiots moron morons muppet muppets imbecile imbeciles cretin cretins numpty numpties halfwit halfwits scum scumbag scumbags quack quacks murderer murderers vermin parasite parasites nonce nonces dimwit dimwits buffoon buffoons', /\b(?:idiots?|morons?|muppets?|imbeciles?|cretins?|numpties|numpty|halfwits?|scum(?:bags?)?|quacks?|murderers?|vermin|parasites?|nonces?|dimwits?|buffoons?)\b/, { group: 'abuse.insult', negatable: false }),
  A('abuse.insult_noun_directed', 3, 'clown clowns chimp chimps monkey monkeys coward cowards snowflake snowflakes fascist fascists butcher butchers slob slobs pig pigs donkey donkeys loser losers joker jokers lunatic lunatics waster wasters leech leeches', new RegExp(`\\b(?:you|ya|u|bunch of|pack of|load of|lot of|shower of|band of|absolute|utter|complete|total|fat|lazy|thick|stupid|useless|spineless|clueless|incompetent|overpaid|are|is|a|such|bloody|are all)\\b(?: \\w+)?? (?:${INSULT_NOUNS})\\b|\\b(?:butchers|murderers)\\b`), { group: 'abuse.insult' }),
  A('abuse.insult_noun_weak', 2, 'clown clowns chimp chimps coward cowards snowflake snowflakes fascist fascists butcher butchers slob slobs', /\b(?:clowns|chimps|cowards?|snowflakes|fascists?|slobs)\b/, { group: 'abuse.insult_weak' }),
  A('abuse.employs_insult', 3, 'employs hires hired full run staffed', new RegExp(`\\b(?:employs|employ|hires|hired|full of|run by|staffed by|managed by)\\b(?: \\w+){0,2}? (?:${INSULT_NOUNS})\\b`), { group: 'abuse.insult' }),
  A('abuse.brain_dead', 2, 'brain dead', /\bbrain ?dead\b|\babsolute zoo\b/, { group: 'abuse.insult_weak2' }),
  A('abuse.excuse_for', 3, 'excuse waste', /\b(?:excuse for a|waste of (?:space|oxygen|skin|air))\b/, { group: 'abuse.insult' }),
  A('abuse.directed_adjective', 3, 'you lot staff nurses doctors managers management they whoever', new RegExp(`\\b${PEOPLE} (?:are|is|were|was|r)(?: all| just| nothing but)?(?: a bunch of| a pack of| a load of)? (?:an? )?(?:absolute |utter |complete |totally |so |such |fucking |bloody |f\\*+ing )?(?:useless|pathetic|incompetent|spineless|clueless|brainless|gormless|thick|stupid|lazy|vile|evil|scum|corrupt|liars|heartless|callous|arrogant|ugly)\\b`), { group: 'abuse.insult' }),
  A('abuse.fat_lazy', 3, 'fat lazy ugly thick', /\b(?:fat|lazy|ugly|thick|stupid|miserable|nasty|rude|smug|arrogant) (?:lazy |fat |ugly |useless |old |miserable |little )?(?:cow|cows|slobs?|bitch|woman|man|boy|girl|nurses?|doctors?|staff|bastards?|pigs?|sods?)\b/, { group: 'abuse.insult' }),
  A('abuse.being_this_thick', 3, 'thick stupid ugly', /\b(?:being|be|so|this|that) (?:thick|stupid|ugly|fat)\b(?! (?:fog|soup|skin|sauce|liquid|fluids?|coat|layer))/, { group: 'abuse.insult' }),
  A('abuse.emoji', 3, '', /🖕/u, { group: 'abuse.gesture', emoji: true }),
  A('abuse.emoji_mock', 1, '', /🤡|🤮|🐷/u, { group: 'abuse.mock', emoji: true, helper: true }),
  A('abuse.state_of', 1, 'state', /\bthe state of (?:them|the (?:woman|man|nurse|nurses|doctor|staff|one))\b/, { group: 'abuse.mock2', helper: true }),
  A('abuse.body_mock', 2, 'ugly fat', /\b(?:imagine being|look at the state|the one on the (?:left|right)|so ugly|this ugly)\b/, { group: 'abuse.mock3' }),

  // wishing harm (a threat to act is urgent_safety)
  A('abuse.wish_harm', 3, 'hope rot die burn suffer dead', /\bhope (?:you|u|they|he|she|every one of you|all of you|the lot of you|each of you|every (?:one|last one|single one|manager|nurse|doctor) (?:of you|at \w+(?: \w+)?)?)\b[^.!?\n]{0,30}\b(?:rots?|die|dies|burns?|suffers?|gets? what|get sacked|gets? struck off|drop dead|rot in hell)\b|\bdrop dead\b|\brot in hell\b|\bgo to hell\b|\bburn in hell\b|\b(?:you|they) (?:deserve|all deserve) (?:nothing|to die|to suffer|to rot)\b/, { group: 'abuse.wish' }),
  A('abuse.murderers', 3, 'kill killed murder', /\byou (?:lot )?(?:kill|killed|murder(?:ed)?) (?:people|patients|my)\b/, { group: 'abuse.accuse' }),
  A('abuse.shut_down', 1, 'shut', /\bhope (?:the whole place|this hospital|the hospital|it|you) (?:gets? )?(?:shut|closed) down\b/, { group: 'abuse.wish_weak', helper: true }),

  // naming staff negatively, harassment
  caseRule('abuse', 'abuse.named_staff', 1, 'dr doctor mr mrs ms miss nurse sister matron midwife prof professor receptionist consultant surgeon', /\b(?:Dr|Doctor|Mr|Mrs|Ms|Miss|Nurse|Sister|Matron|Midwife|Prof|Professor|Staff nurse|staff nurse|Staff Nurse|receptionist|Receptionist|consultant|Consultant|surgeon|Surgeon|nurse|midwife)\.? [A-Z][a-z]+(?:[ -][A-Z][a-z]+)?\b(?! (?:Ward|Unit|Clinic|Centre|Hospital|Road|Street|Lane))/, { group: 'abuse.named', helper: true }),
  caseRule('abuse', 'abuse.named_staff_aside', 1, 'i think called named', /\b(?:blonde|brunette|ginger|tall|short|older|younger) one,? [A-Z][a-z]+|\b[A-Z][a-z]+ I think\b|\b(?:called|named) [A-Z][a-z]+\b|\b[A-Z][a-z]+ [A-Z]\.? on (?:the )?[a-z]+/, { group: 'abuse.named', helper: true }),
  A('abuse.staff_insults', 2, 'useless lazy incompetent rude', /\b(?:is|was|are|were) (?:so |really |completely )?(?:useless|lazy|incompetent|rude|a disgrace|clueless|arrogant|nasty) and (?:so |really )?(?:useless|lazy|incompetent|rude|clueless|arrogant|nasty|unprofessional)\b/, { group: 'abuse.staff_insults' }),
  caseRule('abuse', 'abuse.named_between_commas', 1, 'nurse physio doctor receptionist midwife consultant surgeon porter sister matron manager paramedic', /\b(?:nurse|physio|doctor|receptionist|midwife|consultant|surgeon|porter|sister|matron|manager|paramedic|cleaner|radiographer|pharmacist)s?\b[^.!?\n]{0,30}, [A-Z][a-z]+,/, { group: 'abuse.named', helper: true }),
  A('abuse.sack', 1, 'sack', /\bsack (?:her|him|them)\b/, { group: 'abuse.sack', helper: true }),
  A('abuse.the_one_with', 1, 'one', /\bthe one with (?:the |a )?[\w-]+(?: [\w-]+)?\b|\bthe (?:blonde|ginger|tall|short|fat|older|young|bald) one\b/, { group: 'abuse.named', helper: true }),
  A('abuse.sexual_comment', 3, 'fit hot sexy peng', /\b(?:one|nurse|nurses|doctor|midwife|she|he|receptionist|physio)(?: [\w-]+)? (?:is|are|was|were) (?:well |so |proper |dead |really )?(?:fit|hot|sexy|peng)\b(?! (?:and well|to|for))/, { group: 'abuse.sexual' }),
  A('abuse.staff_negative', 2, 'struck sack sacked sacking fired incompetent arrogant avoid danger clueless clue lazy smug nasty miserable butcher quack allowed', /\b(?:should be (?:struck off|sacked|fired|ashamed)|be struck off|struck off|wants? sacking|needs? sacking|get(?:s)? (?:her|him|them)? ?sacked|sack (?:her|him|them)|avoid (?:him|her|them|at all costs|this (?:doctor|surgeon|nurse))|(?:a )?danger to (?:the public|patients|women|children)|incompetent|arrogant|clueless|hasn'?t got a clue|not got a clue|doesn'?t know what (?:he|she)'?s doing|no idea what (?:he|she)'?s doing|smug|nasty piece of work|miserable (?:cow|woman|man|git)|lazy cow|should(?: not|n'?t) be (?:allowed|let) (?:near|anywhere near))\b/, { group: 'abuse.staff_negative' }),
  A('abuse.name_and_shame', 3, 'name shame', /\bname and shame\b|\bnaming and shaming\b/, { group: 'abuse.harass' }),
  A('abuse.harass_share', 3, 'share tag posting post everyone face photo photos name names', /\b(?:share|tag|retweet|rt)\b[^.!?\n]{0,40}\b(?:so (?:everyone|she|he|they) (?:knows?|sees?|gets?)|everyone knows (?:her|his|their) face|her|him)\b(?! (?:story|journey|experience))|\bposting (?:the |their |his |her )?(?:names?|photos?|pictures?|faces?)(?: and (?:photos?|pictures?|names?))?\b|\beveryone knows (?:her|his|their) face\b/, { group: 'abuse.harass' }),
  A('abuse.harass_persist', 2, 'keep posting outside until gone warned reviews', /\b(?:i'?ll|i will|going to) (?:keep (?:posting|doing it|coming back)|be outside)\b|\buntil (?:he|she|they|someone)(?:'s| is| are| gets?) (?:gone|sacked|fired|struck off)\b|\byou'?ve been warned\b|\breviews on every (?:site|website|platform)\b|\bhope (?:he|she) (?:reads|sees) this\b/, { group: 'abuse.harass2' }),

  // sexual harassment
  A('abuse.sexual', 3, 'fit hot sexy nurse nurses pics nudes single', /\b(?:fit|hot|sexy|peng|tidy) (?:nurses?|doctors?|midwi(?:fe|ves)|receptionists?|physios?|paramedics?|staff|ones)\b|\b(?:dm|send|inbox) me (?:pics|nudes|photos|pictures)\b|\bnurses?[^.?!\n]{0,30}\bsingle\?/, { group: 'abuse.sexual' }),

  // hate
  A('abuse.hate_send_back', 3, 'send back home came over', /\bsend (?:them|the lot of them|em|these people)(?: all)? (?:back|home)\b|\b(?:go|going|send \w+) back (?:to )?where (?:they|you) (?:came|come) from\b|\bcoming over here\b|\bBritish jobs for British\b|\bBritish (?:staff|nurses|doctors) for British\b|\bsingle British (?:doctor|nurse)\b|\bhired our own\b/, { group: 'abuse.hate' }),
  A('abuse.hate_language', 2, 'english foreign foreigners immigrants migrants', /\b(?:couldn'?t|can'?t|cannot|didn'?t|don'?t|doesn'?t) (?:even )?speak (?:proper|any|decent|a word of|good) English\b|\bhalf (?:the|of the) (?:doctors|nurses|staff) (?:are|were) (?:foreign|foreigners|immigrants)\b|\b(?:foreigners|immigrants|migrants) (?:taking over|coming over|everywhere)\b|\bforeign (?:doctors|nurses|staff)\b/, { group: 'abuse.hate' }),
  A('abuse.hate_people', 3, 'freaks groomers', /\b(?:freaks|groomers)\b(?! (?:of nature|out))/, { group: 'abuse.hate2' }),
  A('abuse.hate_culture', 1, 'ideology woke', /\b(?:trans ideology|gender ideology|woke (?:nonsense|rubbish|brigade|agenda))\b/, { group: 'abuse.hate4', helper: true }),
  A('abuse.these_people', 1, 'people', /\bthese people\b/, { group: 'abuse.hate3', helper: true }),

  // "treated us like idiots" describes how the writer was made to feel: a complaint
  rule('negative', 'abuse.simile', 3, 'idiot idiots moron morons clown clowns muppet muppets', /\b(?:like|as if (?:i|we) (?:was|were)|feel(?:ing)?|made (?:me|us) (?:feel|look)|treat(?:ed|ing)? (?:me|us) as) (?:an? |complete |total |absolute )?(?:idiots?|morons?|clowns?|muppets?)\b/, { against: 'abuse' }),
];
