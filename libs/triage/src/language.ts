// Is the message in English? Counts English function words against those of the languages most
// often met by UK trusts (Polish, Romanian, Urdu/Punjabi written in Latin letters, Arabic, Spanish,
// Portuguese, Welsh, Lithuanian, Italian, French, German, Bengali/Hindi/Urdu scripts), plus letters
// that English does not use. Short greetings ("Salam, my dad...", "Hola! Is the...") do not tip it.
import type { Token } from './text.js';

const ENGLISH = new Set(
  ('the a an and or but if of to in on at for with from by about as into is are was were be been am do does did have has had ' +
    'i i\'m im i\'ve ive i\'d i\'ll my me we our us you your yours he his him she her they their them it its this that these those ' +
    'what which who whom when where why how not no yes can could would should will shall may might must just so very too also ' +
    'there here some any all one been being than then out up down over after before again still only because until while ' +
    'please thanks thank hi hello dear can\'t don\'t didn\'t won\'t it\'s that\'s there\'s isn\'t wasn\'t haven\'t doesn\'t ' +
    'dont cant didnt wont its thats theres isnt wasnt havent doesnt got get going went today tomorrow yesterday now').split(/\s+/),
);

// Function words of other languages that are not also English words.
const OTHER = new Set(
  (
    // Polish
    'i\u0107 jest nie si\u0119 \u017ce na w z do jak co czy mam mnie mi moja m\u00f3j moje moja jestem by\u0142 by\u0142a by\u0142o ju\u017c tak dla przez ale lub oraz bardzo kt\u00f3ry kt\u00f3ra kto gdzie kiedy dzie\u0144 dobry prosz\u0119 dzi\u0119kuj\u0119 mog\u0119 mo\u017ce nikt nic tylko jeszcze te\u017c sobie jego jej ich tata mama syn c\u00f3rka ' +
    // Romanian
    'este sunt nu \u0219i \u015fi \u00een \u00eencep la cu pe de un o care ce mai meu mea fiul fiica am avea pentru c\u0103 ca s\u0103 se mi poate pot bun\u0103 ziua mul\u021bumesc v\u0103 rog dar sau foarte \u0103sta aceasta ' +
    // Urdu / Punjabi in Latin letters
    'hai hain nahi nahin nai ki ka ke ko mein main meri mera mere aur kya koi hum ham abhi tak rahi raha rahe karo kar bahut bohat bohot se bhi yeh ye woh wo aap ap tha thi hoon hun gaya gayi sab kuch apna apni apne da di de nu tuhanu sanu wich vich ji ammi abbu bhai behen ' +
    // Spanish / Portuguese / Italian / French
    'el la los las del al es est\u00e1 estoy est\u00e1n que qu\u00e9 por para con una uno y o pero muy mi mis tengo tiene hay d\u00f3nde cu\u00e1l c\u00f3mo gracias hola buenos d\u00edas se\u00f1or ' +
    'madre padre hijo hija hermano hermana marido esposa bien ayuda dolor pecho cita m\u00e9dico hospitalizado ahora desde ayer hoy ' +
    'm\u00e3e pai filho filha irm\u00e3o marido ajuda dor peito consulta m\u00e9dico agora hoje ontem ' +
    'syn c\u00f3rka m\u0105\u017c \u017cona brat siostra pomoc b\u00f3l teraz dzisiaj wczoraj lekarz szpital ' +
    'mama tata fiul fiica so\u021bul so\u021bia ajutor durere acum azi ieri medic spital ' +
    'n\u00e3o \u00e9 est\u00e1 estou com uma um os as do da dos das no na em para por mas muito meu minha tenho tem obrigado obrigada boa tarde dia ol\u00e1 voc\u00ea ' +
    'il lo gli della delle sono \u00e8 non che per con una grazie mille buongiorno sei siete tutto tutta ' +
    'le les des du et est je suis nous vous avec pour pas une dans sur mais tr\u00e8s merci bonjour ' +
    'der die das und ist nicht ich mit f\u00fcr auf ein eine bitte danke ' +
    // Welsh
    'mae yn y yr ac a\'r ei fy fe fo hi nhw ni chi oes modd diolch yn fawr helo bore da iawn gyda ar am wedi bod ddim dydy dw i\'n rydw ydy ydw eisiau newid apwyntiad plant ward staff arbennig o galon ' +
    // Lithuanian
    'labai mano ir n\u0117ra yra buvo per jai jam mums niekas ka\u017ekas kad ar kur kaip'
  ).split(/\s+/),
);
// Words in both lists count for neither.
for (const w of [...OTHER]) if (ENGLISH.has(w)) OTHER.delete(w);
for (const w of ['ward', 'staff', 'plant', 'main', 'am', 'an', 'no', 'a', 'o', 'i', 'my', 'me', 'we', 'he', 'on', 'to', 'in', 'is', 'do', 'be', 'us', 'up', 'ye', 'ni', 'mi', 'de', 'la', 'le', 'el', 'da', 'di', 'hi', 'fe', 'fo', 'ar', 'ac', 'ca', 'se', 'ma', 'na', 'ki', 'ko', 'ap', 'ha', 'ya']) OTHER.delete(w);

const NON_ENGLISH_LETTERS = /[\u0105\u0119\u0142\u0144\u015b\u017a\u017c\u0107\u0103\u0219\u021b\u015f\u0163\u00f1\u00e3\u00f5\u00e7\u0175\u0177\u0117\u0173\u016b\u010d\u0161\u017e\u00bf\u00a1\u00df]/giu;
const OTHER_SCRIPT = /[\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Han}\p{Script=Thai}\p{Script=Hebrew}]/gu;
const LATIN_LETTER = /[a-z\u00c0-\u024f]/giu;

export interface LanguageGuess {
  english: boolean;
  /** Evidence for a non-English guess: the foreign words or script seen. */
  evidence: string[];
}

const ANY_OTHER_SCRIPT = /[\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Han}\p{Script=Thai}\p{Script=Hebrew}]/u;
const ANY_MARK = /[\u0105\u0119\u0142\u0144\u015b\u017a\u017c\u0107\u0103\u0219\u021b\u015f\u0163\u00f1\u00e3\u00f5\u00e7\u0175\u0177\u0117\u0173\u016b\u010d\u0161\u017e\u00bf\u00a1\u00df]/iu;

export function guessLanguage(text: string, tokens: readonly Token[]): LanguageGuess {
  if (ANY_OTHER_SCRIPT.test(text)) {
    const other = text.match(OTHER_SCRIPT);
    const latin = text.match(LATIN_LETTER);
    if (other && other.length >= 3 && other.length > (latin?.length ?? 0)) {
      return { english: false, evidence: [text.replace(/\s+/g, ' ').trim().slice(0, 40)] };
    }
  }
  let en = 0;
  let fo = 0;
  const foreign: string[] = [];
  for (const t of tokens) {
    const kind = (t.info.language ??= ENGLISH.has(t.word) ? 1 : OTHER.has(t.word) ? 2 : 0);
    if (kind === 1) en++;
    else if (kind === 2) {
      fo++;
      if (foreign.length < 6) foreign.push(t.word);
    }
  }
  const marks = ANY_MARK.test(text) ? (text.match(NON_ENGLISH_LETTERS)?.length ?? 0) : 0;
  const score = fo + Math.min(marks, 4) * 0.5;
  if (score >= 2 && score > en * 1.2) return { english: false, evidence: foreign };
  return { english: true, evidence: [] };
}
