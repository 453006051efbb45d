// media: a journalist, producer or researcher for a programme or publication asking for comment,
// interview, filming, data or a statement. Email senders and signatures are read in ../sender.ts.
// A member of the public who threatens to "go to the papers" is complaining, not the press.
import { caseRule, rule, type Rule, type RuleOptions } from '../rules.js';

const M = (id: string, weight: number, anchors: string, re: RegExp, options?: RuleOptions): Rule => rule('media', id, weight, anchors, re, options);

const ROLE = '(?:journalist|journo|reporter|correspondent|producer|researcher|editor|sub-?editor|news ?editor|features? (?:writer|editor)|presenter|broadcaster|newsreader|news ?desk|newsdesk|freelancer|freelance (?:writer|journalist|reporter)|documentary (?:maker|producer)|film-?maker|podcaster)';
const OUTLET_WORDS =
  'Gazette|Echo|Courier|Herald|Chronicle|Post|Argus|Advertiser|Mercury|Telegraph|Express|Star|Times|News|Live|Journal|Bugle|Standard|Examiner|Sentinel|Mail|Mirror|Observer|Citizen|Leader|Press|Magazine|Radio|FM|TV|Online|Review|Recorder|Tribune|Guardian|Independent|Tonight|Today|Podcast|Productions|Pictures|Films|Studios';
const KNOWN_OUTLETS =
  "BBC|ITV|ITN|Sky News|Channel ?4|Channel ?5|Radio ?[1-6]|Five Live|LBC|Times Radio|GB News|TalkTV|Reuters|PA Media|Press Association|the Guardian|the Times|Sunday Times|the Mirror|Daily Mail|Mail on Sunday|MailOnline|Telegraph|the Independent|the i paper|i newspaper|Observer|HSJ|Health Service Journal|Nursing Times|BMJ|the Sun\\b|Daily Express|Daily Star|Evening Standard|Financial Times|the Economist|Newsnight|Panorama|Dispatches|Look North|Woman's Own|Good Morning Britain|Loose Women|the One Show|Hits Radio|Greatest Hits|Bauer|Newsquest|Reach plc|National World|Byline Times|openDemocracy|Bureau of Investigative Journalism|BuzzFeed|HuffPost|Politico|Al Jazeera|CNN|New York Times|Washington Post|Associated Press|AFP|Bloomberg|WalesOnline|Manchester Evening News|Yorkshire Post|Liverpool Echo|Chronicle Live|Birmingham Mail|KentOnline|Kent Online|Express and Star|Londynek";

export const MEDIA_RULES: readonly Rule[] = [
  // who they are
  M('media.role_self', 3, 'i im we this work working am', new RegExp(`\\b(?:i'?m|i am|im|we'?re|we are|this is|i work|i'?m working|working|i write|writing)\\b(?: \\w+){0,3}? (?:an? |the )?(?:\\w+ ){0,2}?${ROLE}s?\\b`), { group: 'media.role' }),
  M('media.role_at', 3, 'journalist journo reporter correspondent producer researcher editor presenter newsdesk desk', new RegExp(`\\b${ROLE}s? (?:at|for|on|with|from)\\b(?! (?:the |a )?(?:university|uni\\b|college|school|nhs|trust|hospital|council))|\\b${ROLE} here\\b|\\b(?:here|hi|hello|hey)[,!]? (?:i'?m |i am )?(?:an? )?${ROLE}\\b`), { group: 'media.role' }),
  M('media.i_produce', 3, 'produce present edit report', /\bi (?:produce|present|edit|report for|write for|work on|research for) (?:a |an |the )?(?:[\w'-]+ ){0,3}?(?:show|programme|program|phone-in|bulletin|podcast|series|paper|newspaper|magazine|site|channel|station|newsletter|column|on (?:bbc|itv|sky|radio|5 live|five live|lbc))\b/, { group: 'media.role' }),
  M('media.phone_in', 2, 'phone in bulletin segment', /\bphone-?in\b|\blunchtime bulletin\b|\bnews bulletin\b/, { group: 'media.show_word' }),
  M('media.for_publication', 3, 'publication broadcast', /\bfor (?:publication|broadcast)\b|\bintend to (?:publish|report|broadcast|run)\b|\bcompiling (?:data|figures)\b/, { group: 'media.publish' }),
  M('media.come_on_explain', 2, 'come on', /\bcome on (?:to|and) (?:explain|talk|discuss|speak|tell)\b/, { group: 'media.on_show3' }),
  M('media.researcher_programme', 3, 'researcher research researching', /\bresearch(?:er|ing)? (?:for|on|with) (?:an? |the )?(?:[\w']+ ){0,3}(?:programme|program|show|series|documentary|podcast|channel|film|production)\b/, { group: 'media.role' }),
  M('media.role_word', 2, 'journalist journo reporter correspondent newsdesk journalism producer', /\b(?:journalist|journo|reporter|correspondent|newsdesk|news desk|journalism student|student journalist|assistant producer|series producer)s?\b/, { group: 'media.role_word' }),
  caseRule('media', 'media.outlet_here', 2, 'here', new RegExp(`\\b(?:${KNOWN_OUTLETS})\\b(?: [A-Z]?\\w+){0,3} here\\b`), { group: 'media.outlet' }),
  caseRule('media', 'media.outlet_from', 2, 'from at with for on', new RegExp(`\\b(?:from|at|with|for|on) (?:the |The )?(?:@?[A-Z][\\w']+ ){0,3}(?:${OUTLET_WORDS})\\b(?! (?:of (?:a |the )?|[Ww]ard|[Uu]nit|[Cc]linic|[Hh]ospital|[Cc]entre|[Oo]ffice|[Ii]nn|[Bb]ox))`), { group: 'media.outlet' }),
  caseRule('media', 'media.known_outlet', 1, '', new RegExp(`(?:\\b|@)(?:${KNOWN_OUTLETS})\\b`), { group: 'media.outlet_name', helper: true }),
  M('media.at_outlet_handle', 2, 'for asking reporting writing', /\b(?:for|asking for|reporting for|writing (?:it up )?for|on behalf of) (?:the )?@\w*(?:news|live|radio|tv|fm|times|post|echo|mail|mirror|gazette|herald|press|bbc|itv|sky|online|guardian|telegraph|independent|observer|express|sun|standard|journal|chronicle)\w*\b/, { group: 'media.outlet', when: /@\w/ }),
  M('media.production_company', 3, 'production company documentary docuseries series doc film', /\b(?:production company|indie production|observational (?:documentary|series)|docu-?series|(?:making|developing|producing|filming|shooting) (?:a |an )?(?:new |short |feature |six-part |observational |\w+-part )?(?:doc|documentary|documentaries|series|film|programme|episode|pilot)\b|(?:make|making) short documentaries)/, { group: 'media.production' }),
  M('media.documentary', 2, 'documentary documentaries doc', /\b(?:documentar(?:y|ies)|short doc)\b/, { group: 'media.production_weak' }),
  M('media.podcast', 2, 'podcast podcasts', /\bpodcasts?\b/, { group: 'media.podcast' }),
  M('media.episode', 1, 'episode', /\b(?:an|the|our|next|an upcoming|a new) episode\b/, { group: 'media.episode' }),
  M('media.audience', 1, 'listeners viewers readers subscribers subs downloads followers members', /\b\d+(?:[.,]\d+)?k? (?:listeners|viewers|readers|subscribers|subs|downloads|followers|members)\b|\b(?:our|my) (?:readers|listeners|viewers)\b/, { group: 'media.audience', helper: true }),
  M('media.news_page', 2, 'news page', /\b(?:community |local )?news (?:page|site|group|channel)\b|\bcommunity radio\b|\bradio station\b|\bstudent (?:paper|newspaper|radio)\b|\bthe uni paper\b/, { group: 'media.news_page' }),

  // what they ask for
  M('media.request_comment', 3, 'comment statement response reply interview line', /\b(?:request(?:ing)? (?:for )?(?:a |an )?(?:comment|interview|statement)|(?:comment|interview|statement) request|request for comment|right (?:of|to) reply|(?:give|send|provide|issue|offer)(?: us| me)? (?:a |an |any )?(?:statement|comment|line)\b|(?:give|send) us a line|a line (?:from the trust|by|for)|does the trust (?:wish|want) to (?:comment|respond)|(?:does|would) the trust (?:like|want) to respond|opportunity to (?:respond|comment)|(?:want|like|wish) to respond\?|for (?:a|your) (?:comment|response) (?:on|about|by)|(?:can|could|would) (?:you|the trust|someone) comment on|any comment (?:on|from))\b/, { group: 'media.ask' }),
  M('media.statement', 2, 'statement comment', /\b(?:a |any |your )?statement (?:from|on|about|by)\b|\bprovide a statement\b|\bcomment on (?:the|this|these|reports?|claims?)\b/, { group: 'media.ask_weak' }),
  M('media.deadline', 2, 'deadline', /\b(?:deadline|on deadline)\b/, { group: 'media.deadline' }),
  M('media.deadline_time', 3, 'deadline', /\b(?:my |our |the )?deadline (?:is |of )?(?:\d|noon|midday|today|tomorrow|tonight|end of|this|thursday|friday|monday|tuesday|wednesday|weds|thurs|fri)|\bwe'?re on deadline\b|\bdeadline:/, { group: 'media.deadline' }),
  M('media.publish', 3, 'print publish publication paper edition file filing run running broadcast air', /\b(?:go(?:ing)? to print|before we (?:publish|go to print|go live|broadcast|run)|ahead of publication|we'?re (?:planning to|going to) (?:publish|run)|planning to publish|(?:in|for) tomorrow'?s (?:paper|edition|programme|show|bulletin|papers)|run(?:ning)? (?:a|this|the) (?:story|piece|feature|segment)|run this in|filing (?:by|on|friday|monday|tuesday|wednesday|thursday|tonight|today)|file by|aiming to file|for broadcast|on air|when we publish|publish(?:ing)? (?:tomorrow|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)))\b/, { group: 'media.publish' }),
  M('media.writing_piece', 3, 'story piece feature article report read segment package spread documentary series episode film chapter', /\b(?:working on|writing|doing|putting together|researching|preparing|producing|making|planning) (?:a |an |the )?(?:(?:long|short|big|new|quick|small|special|follow-up|national|regional|local) )?(?:story|piece|feature|article|long read|longread|segment|package|spread|radio package|news story|episode)\b(?! (?:about my|of my|for my (?:gp|doctor)))/, { group: 'media.writing' }),
  M('media.on_record', 2, 'record background', /\b(?:on|off) the record\b|\bon background\b|\bnot for attribution\b/, { group: 'media.record' }),
  M('media.interview_word', 1, 'interview', /(?<!\b(?:job|my|an? job|the job|job) )\binterview\b(?! (?:for (?:the|a|my) (?:job|post|role|position)|at))/, { group: 'media.interview_weak', helper: true }),
  M('media.get_comment', 3, 'comment statement line', /\b(?:can|could|may) (?:we|i) (?:get|have|grab) (?:a |an |any )?(?:comment|statement|line|response from the trust)\b/, { group: 'media.ask' }),
  M('media.interview', 2, 'interview interviews', /\b(?:request(?:ing)? an interview|available for (?:an )?interview|(?:to|could i|can i|would love to|like to|we'?d love to) interview (?:someone|one of|a |an |the |your)|interview (?:with|one of) (?:the|your|a|an)|take part in an interview|for interview on|for an interview)\b/, { group: 'media.interview' }),
  M('media.spokesperson', 3, 'spokesperson spokesman spokeswoman', /\bspokes(?:person|man|woman|people)\b/, { group: 'media.spokesperson' }),
  M('media.on_show', 3, 'show programme program podcast line air', /\b(?:come on|be on|appear on|join us on|guest on|talk on|speak on) (?:the |our |my )?(?:show|programme|program|podcast|station|breakfast show|bulletin)\b|\b(?:can|could) be down the line\b|\bdown the line\b(?=[^.]{0,30}\b(?:live|minutes|studio|show))/, { group: 'media.on_show' }),
  M('media.on_our_show', 2, 'our show programme podcast station', /\bon (?:our|my) (?:\w+ ){0,3}(?:show|programme|program|podcast|bulletin|breakfast show|phone-in)\b/, { group: 'media.on_show2' }),
  M('media.filming', 2, 'film filming shots camera crew', /\b(?:filming|film (?:in|at|outside|on|a day|inside|the|your|some)|(?:grab|get) (?:some )?shots|on camera|camera crew|film crew|filming access|to film)\b/, { group: 'media.filming' }),
  M('media.press_office', 2, 'press office team media', /\b(?:press (?:office|team|officer)|(?<!social )media (?:team|relations|office))\b/, { group: 'media.press' }),
  M('media.enquiry', 3, 'enquiry inquiry query request', /\b(?:media|press|journalist) (?:enquiry|inquiry|query|request)\b|\b[A-Z]{2,5} query:/, { group: 'media.ask' }),
  M('media.confirm_reports', 2, 'reports tip rumours hearing understand contacted told readers', /\b(?:we'?re hearing|we are hearing|hearing|we'?ve had|we have had|we'?ve received) (?:reports|a tip-?off|claims|rumours)\b|\bwe'?ve heard (?:that |the |reports|there)|\btip-?off\b|\bwe understand (?:that |there'?s|there has|there have|the)\b|\bwe'?ve been contacted by\b|\b(?:families|patients|staff) have told us\b|\b(?:several|many|a number of|our|some of our) readers\b/, { group: 'media.reports' }),
  M('media.reports', 1, 'reports', /\breports (?:that|of)\b/, { group: 'media.reports_weak', helper: true }),
  M('media.can_you_confirm', 1, 'confirm', /\b(?:can|could) (?:you|the trust|@\w+|someone) confirm\b|\bconfirm (?:whether|if|either way)\b/, { group: 'media.confirm', helper: true }),
  M('media.data_request', 1, 'figures data numbers', /\b(?:provide|share|send) (?:its |your |the trust'?s )?(?:figures|data|numbers)\b/, { group: 'media.data', helper: true }),
  M('media.dear_press', 2, 'press office', /^\s*(?:dear|hi|hello) (?:press office|press team|media team)\b/m, { group: 'media.press' }),
  M('media.dms_open', 1, 'dms dm', /\bdms? (?:are )?open\b|\bdm me\b/, { group: 'media.dm', helper: true }),
  M('media.chat_feature', 1, 'chat featuring feature include', /\b(?:quick chat|grab a chat|love to include|featuring them)\b/, { group: 'media.chat', helper: true }),

  // a member of the public threatening to go to the press: a complaint, not media
  rule('negative', 'media.not_press_threat', 4, 'press papers paper media news journalist', /\b(?:go(?:ing)? to|contact(?:ing)?|tell(?:ing)?|will be telling|inform(?:ing)?|writing to|ring(?:ing)?|spoken to|speak to|talked to|been in touch with|get in touch with|email(?:ing)?) (?:the |a |my |our )?(?:local )?(?:press|papers|paper|newspapers?|media|news|journalists?|reporters?|bbc|itv|tabloids)\b/, { against: 'media' }),
];

// Journalists writing in other languages (used only when non-English messages are read by content).
export const MEDIA_OTHER_LANGUAGES: readonly Rule[] = [
  M('media.other_language', 3, '', /\b(?:dziennikar\w*|artyku\w*|biur\w* prasow\w*|reportaż\w*|periodista|prensa|jornalista|imprensa|reportagem|giornalista|journaliste|newyddiadurwr|jurnalist\w*|žurnalist\w*)/u, { group: 'media.role' }),
];
