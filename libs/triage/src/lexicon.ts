// Single-word lexicons, matched on Porter stems ("swollen", "swelling" → swell/swollen; "coughing"
// → cough; "vaccinated" → vaccin), one lookup per token. A word written `=word` must match exactly
// (its stem would catch unrelated words: "caring" → care, "hearing" → hear, "spotting" → spot).
// Phrases live in the rule files; these lists say what a message is about.
import type { Route } from '@desk/domain';
import { negatedAt } from './rules.js';
import { stem, type Prepared } from './text.js';

export interface LexiconEntry {
  readonly signal: string;
  readonly route: Route;
  readonly group: string;
  readonly weight: number;
  readonly negatable: boolean;
  readonly groupKey: string;
}

export interface LexiconHit {
  readonly entry: LexiconEntry;
  readonly evidence: string;
  readonly index: number;
}

const BY_STEM = new Map<string, LexiconEntry[]>();
const BY_WORD = new Map<string, LexiconEntry[]>();

function add(route: Route, signal: string, weight: number, words: string, options: { group?: string; negatable?: boolean } = {}): void {
  const group = options.group ?? signal;
  const entry: LexiconEntry = { signal, route, group, weight, negatable: options.negatable ?? false, groupKey: `${route}|${group}` };
  for (const raw of words.trim().split(/\s+/)) {
    const exact = raw.startsWith('=');
    const w = (exact ? raw.slice(1) : raw).toLowerCase();
    const map = exact ? BY_WORD : BY_STEM;
    const key = exact ? w : stem(w);
    const list = map.get(key) ?? [];
    if (!list.includes(entry)) list.push(entry);
    map.set(key, list);
  }
}

// ---- clinical: what a question is about
add(
  'clinical',
  'clinical.topic.symptom',
  1,
  `pain painful ache aching sore fever temperature cough coughing rash swelling swollen lump lumps bleeding bleed itchy itching dizzy
   dizziness vomiting vomit sick diarrhoea diarrhea constipation nausea headache headaches migraine infection infected weeping wound scar
   stitches bruising bruise numbness numb tingling breathless wheezing wheezy cramps cramp =spotting blister blisters =burn sting bite thrush
   verruca wart mole polyp cyst hernia reflux heartburn insomnia fatigue palpitations sangrado tuse febră febra fiebre gorączka
   ankle wrist knee shoulder elbow hip toe finger thumb chest stomach tummy throat ear eye eyes skin back neck jaw gums tooth teeth
   purple red warm hot tight stiff extension`,
  { group: 'clinical.topic.a' },
);
add(
  'clinical',
  'clinical.topic.condition',
  1,
  `diabetes diabetic cancer chemo chemotherapy radiotherapy pregnant pregnancy embarazada grávida postpartum postnatal antenatal surgery
   operation =op =ops stent fracture fractured broken sprain sprained acl arthritis asthma copd epilepsy stroke dementia covid flu
   tonsils tonsillectomy gallbladder appendix cataract endometriosis coil ivf miscarriage breastfeed breastfeeding newborn =baby
   cholesterol colesterol kidney renal liver thyroid anaemia anemia allergy allergic eczema psoriasis stoma catheter anaesthetic
   anesthetic =fasting ramadan alcohol wine vaccine vaccination vaccinated jab jabs booster immunisation helmet helmets =boot =cast sling
   crutches dressing dressings physio physiotherapy recovery healing sepsis polyps aaa gastritis`,
  { group: 'clinical.topic.b' },
);
add(
  'clinical',
  'clinical.topic.medicine',
  1,
  `paracetamol ibuprofen calpol nurofen aspirin codeine tramadol morphine amoxicillin penicillin antibiotic antibiotics metronidazole
   metformin insulin warfarin apixaban rivaroxaban statin statins sertraline fluoxetine citalopram antidepressant antidepressants omeprazole
   lansoprazole gaviscon antihistamine antihistamines piriton steroid steroids prednisolone inhaler contraceptive contraception hrt
   amlodipine ramipril levothyroxine =medication =medications =medicine =medicines =meds tablet tablets dose doses dosage prescribed
   prescription ibuprofeno medicação medicamento leki lek`,
  { group: 'clinical.topic.c' },
);
add(
  'clinical',
  'clinical.topic.test',
  1,
  `result results =bloods levels inr psa hcg egfr potassium sodium haemoglobin hba1c scan scans mri ct x-ray xray ultrasound biopsy smear
   ecg echo screening análises analizy report reading readings`,
  { group: 'clinical.topic.d' },
);

// ---- appointment: the thing to book, move or chase
add(
  'appointment',
  'appointment.topic.noun',
  1,
  `appointment appointments =appt =appts =apt booking bookings slot slots referral referrals =followup =pre-op scan scans mri ultrasound =op
   operation surgery procedure colonoscopy endoscopy echo mammogram smear physio screening assessment consultation review clinic
   vaccination injection session cystoscopy biopsy ecg colposcopy treatment checkup visit =referred wizyta wizytę wizyty apwyntiad cita consulta
   programare`,
  { group: 'appointment.topic' },
);

// ---- praise words (weak alone; the phrases in the rule files are stronger)
add(
  'praise',
  'praise.adjectives',
  1,
  `amazing brilliant fantastic incredible wonderful superb outstanding excellent phenomenal =lovely =caring =gentle =fab legend legends
   angel angels heroes hero superstar superstars lifesaver =reassuring painless textbook chuffed =smiling marvellous faultless`,
  { group: 'praise.words', negatable: true },
);

// ---- complaint words
add(
  'complaint',
  'complaint.judgement',
  2,
  `unacceptable disgrace disgraceful disgusting appalling shocking shameful ridiculous shambles shambolic diabolical horrendous atrocious
   outrageous unprofessional inexcusable scandalous deplorable =dreadful inedible =terrifying farce =robbery unbearable`,
  { group: 'complaint.judgement', negatable: true },
);
add(
  'complaint',
  'complaint.feeling',
  2,
  `fuming furious livid disappointed disappointing disappointment appalled dismayed frustrated frustrating =gutted unimpressed`,
  { group: 'complaint.feeling', negatable: true },
);
add('complaint', 'complaint.poor', 2, `terrible awful rubbish rude dismissive uncaring disrespectful patronising condescending`, {
  group: 'complaint.quality',
  negatable: true,
});
add('complaint', 'complaint.mild', 1, `embarrassing pathetic useless hopeless joke`, { group: 'complaint.mild', negatable: true });

// ---- general enquiries (they explain a general route; they do not outweigh others)
add(
  'general',
  'general.topic',
  1,
  `visiting visitors parking park bus buses wifi shop cafe café costa canteen prayer chapel chaplaincy job jobs vacancy vacancies
   recruiting hiring apprenticeship fundraising fundraiser charity donate donation donations justgiving gofundme foi`,
  { group: 'general.topic' },
);

/** Lexicon words in the message, one hit per entry and word. */
export function lexiconHits(prepared: Prepared): LexiconHit[] {
  const out: LexiconHit[] = [];
  for (const t of prepared.tokens) {
    let entries = t.info.lexicon as readonly LexiconEntry[] | undefined;
    if (entries === undefined) {
      entries = [...(BY_STEM.get(t.stem) ?? []), ...(BY_WORD.get(t.word) ?? [])];
      t.info.lexicon = entries;
    }
    for (const entry of entries) {
      if (entry.negatable && negatedAt(prepared.text, t.start)) continue;
      out.push({ entry, evidence: prepared.original.slice(t.start, t.end), index: t.start });
    }
  }
  return out;
}
