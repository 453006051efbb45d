// spam, story, praise and general.
import { caseRule, rule, type Rule, type RuleOptions } from '../rules.js';

const S = (id: string, weight: number, anchors: string, re: RegExp, options?: RuleOptions): Rule => rule('spam', id, weight, anchors, re, options);
const T = (id: string, weight: number, anchors: string, re: RegExp, options?: RuleOptions): Rule => rule('story', id, weight, anchors, re, options);
const Z = (id: string, weight: number, anchors: string, re: RegExp, options?: RuleOptions): Rule => rule('praise', id, weight, anchors, re, options);
const G = (id: string, weight: number, anchors: string, re: RegExp, options?: RuleOptions): Rule => rule('general', id, weight, anchors, re, options);
const NEG = { negatable: true };

// spam: commercial posts, scams, crypto, follower selling, link bait, unrelated promotions
export const SPAM_RULES: readonly Rule[] = [
  S('spam.followers', 3, 'followers follower likes views subscribers subs', /\b(?:buy|get|gain|grow|reach|boost|\d+k?\+?|real|instant|cheap)\b[^.!?\n]{0,25}\b(?:followers|likes|views|subscribers)\b|\bfollow ?4 ?follow\b/, { group: 'spam.growth' }),
  S('spam.dm_us', 1, 'dm message whatsapp inbox comment reply', /\b(?:dm (?:us|me|now)|message (?:me|us|him|her)(?: now)?|whatsapp (?:me|us)|contact us on whatsapp|inbox (?:me|us)|comment '\w+'|comment "\w+"|reply (?:yes|with))\b/, { group: 'spam.contact', helper: true }),
  S('spam.link_bio', 2, 'link bio click', /\blink in (?:my |our |the )?bio\b|\bclick (?:the |this |our )?link\b|\bclick here\b|\bcheck (?:my|our) (?:profile|page|bio)\b/, { group: 'spam.link' }),
  S('spam.free_offer', 2, 'free', /\bfree (?:trial|audit|consultation|samples?|quote|gift|voucher|iphone|money)\b/, { group: 'spam.offer' }),
  S('spam.guarantee', 1, 'guaranteed guarantee 100', /\b(?:guaranteed?|100% (?:real|guaranteed|safe|natural|results|of)|no (?:diet|gym|password) needed)\b/, { group: 'spam.guarantee', helper: true }),
  S('spam.limited', 2, 'limited only hurry', /\blimited (?:time|offer|spaces|places|presale|stock)\b|\b(?:this week|today) only\b|\bbefore midnight\b|\bhurry\b/, { group: 'spam.urgency' }),
  S('spam.discount', 2, 'off code discount discounts', /\b\d+% (?:off|discount)\b|\bdiscount (?:of )?\d+%|\b(?:discount|promo|voucher) code\b|\b(?:use|with) code \w+|\bbulk discounts?\b/, { group: 'spam.discount' }),
  S('spam.dm_to_book', 2, 'dm', /\bdm (?:us |me )?to (?:book|order|buy|claim|find out|join)\b|\bin stock now\b|\bcheap (?:ppe|masks|gloves|scrubs)\b/, { group: 'spam.contact2' }),
  S('spam.prize', 3, 'congratulations congrats won winner selected giveaway claim', /\b(?:congratulations|congrats)\b[^.!?\n]{0,50}\b(?:won|selected|winner|chosen|eligible)\b|\bgiveaway\b|\b(?:to )?claim (?:your|it|now|the)\b|\byou(?:'ve| have) (?:been selected|won)\b/, { group: 'spam.prize' }),
  S('spam.account_scam', 3, 'account page password suspended disabled violated verify mailbox', /\b(?:account|page|mailbox)\b[^.!?\n]{0,40}\b(?:suspended|disabled|violated|locked|deactivated)\b|\bverify (?:your account|now|here)\b|\bpassword (?:expires|expiring|will expire)\b|\bcommunity standards\b/, { group: 'spam.phish' }),
  S('spam.crypto', 3, 'crypto bitcoin btc xrp eth airdrop presale forex nft trading trader', /\b(?:crypto|bitcoin|btc|xrp|ethereum|airdrop|presale|forex|nft|fx trad\w+|trader)\b/, { group: 'spam.crypto' }),
  caseRule('spam', 'spam.ticker', 2, '', /\$[A-Z]{3,}\b/, { group: 'spam.crypto' }),
  S('spam.earn', 3, 'earn make made income', /\b(?:earn|make|made|making|earning)\b[^.!?\n]{0,6}£?\$?\d[\d,.]*k?\b[^.!?\n]{0,30}\b(?:a day|a week|a month|per day|per week|from home|first week|in \d+ days|with just)\b|\bturn £?\$?\d[\d,]* into\b|\bdoubled my money\b/, { group: 'spam.money' }),
  S('spam.work_home', 2, 'home experience', /\bwork(?:ing)? from home\b|\bno experience (?:needed|required|necessary)\b|\bsimple online surveys\b/, { group: 'spam.job' }),
  S('spam.loans', 3, 'loans loan credit repossession arrears', /\b(?:loans? up to|instant loans?|payday loans?|no credit checks?|bad credit|approved in minutes|cash fast|money in \d+ ?(?:mins?|minutes)|stop repossession|mortgage arrears|debt (?:help|relief|solution))\b/, { group: 'spam.money2' }),
  S('spam.miracle', 3, 'cure cures miracle hate', /\b(?:cures?|heals?)\b[^.!?\n]{0,40}\b(?:cancer|diabetes|infertility|all diseases|arthritis)\b[^?]{0,30}(?:!|guaranteed|natural|days|spells|herbs?)|\bmiracle (?:cure|tea|pill|oil)\b|\bdoctors hate\b|\bnatural spells\b|\bspell ?caster\b/, { group: 'spam.quack' }),
  S('spam.weight_loss', 2, 'weight gummies keto detox cbd stone', /\b(?:weight ?loss|gummies|keto|detox|fat burn\w*|lost \d+ (?:stone|kg|lbs) in|cbd (?:oil|gummies))\b|#weightloss/, { group: 'spam.product' }),
  S('spam.seo', 3, 'seo google ranking rankings website traffic', /\b(?:seo|google rank(?:ing)?s?|first[- ]page|page (?:one|1) (?:of google|guaranteed)|top of google|website traffic|losing (?:patients|customers) to)\b/, { group: 'spam.seo' }),
  S('spam.academic', 3, 'plagiarism essay essays dissertation assignment turnaround', /\b(?:plagiarism[- ]free|essay (?:writing|help|service)s?|dissertation (?:help|writing)|assignment (?:help|writing)|\d+ ?(?:hr|hour) turnaround|write your (?:essay|dissertation|assignment))\b/, { group: 'spam.academic' }),
  S('spam.b2b', 2, 'wholesale factory moq fob price catalogue supplier manufacturer samples', /\b(?:wholesale|factory prices?|moq|fob prices?|best price|price list|catalogue|leading manufacturer|supplier of|we supply|we are a leading)\b/, { group: 'spam.b2b' }),
  S('spam.parcel', 3, 'parcel package delivery customs postage', /\b(?:parcel|package|delivery)\b[^.!?\n]{0,50}\b(?:could not be delivered|on hold|unpaid|customs fee|reschedule delivery|redelivery|postage due)\b/, { group: 'spam.phish2' }),
  S('spam.invoice', 2, 'invoice overdue payment', /\binvoice\b[^.!?\n]{0,50}\b(?:overdue|pay (?:immediately|now)|secure link)\b|\bsecure link\b/, { group: 'spam.phish3' }),
  S('spam.advance_fee', 3, 'inheritance beneficiary funds widow bank details', /\b(?:inheritance|beneficiary|next of kin)\b[^!?\n]{0,80}\b(?:million|funds|transfer|partner)\b|\b(?:reply|send) (?:me )?with your bank details\b|\bbank details to claim\b|\bhardship grant\b/, { group: 'spam.fraud' }),
  S('spam.adult', 3, 'cutie babe pics profile hun', /\b(?:hey|hi) (?:cutie|babe|handsome|sexy|hun)\b|\bprivate pics\b|\bonlyfans\b|\bsomething special\b/, { group: 'spam.adult' }),
  S('spam.adult_emoji', 3, '', /🔞/u, { group: 'spam.adult', emoji: true }),
  S('spam.iptv', 3, 'firestick iptv channels', /\b(?:fully loaded firestick|firestick|iptv|all the channels)\b/, { group: 'spam.goods' }),
  S('spam.selling', 2, 'selling sale tickets rates', /\b(?:selling|for sale|face value|message for rates|book now|order now|shop now|apply now)\b/, { group: 'spam.sale' }),
  S('spam.ambassador', 2, 'ambassador collab promote', /\b(?:brand ambassador|collab\??|promote your|paid promotion|sponsored post)\b/, { group: 'spam.collab' }),
  S('spam.recovery', 3, 'recover recovers recovery hacked scam funds', /\b(?:recover(?:s|y)?|get back)\b[^.!?\n]{0,30}\b(?:funds|lost money|your money|crypto)\b|\baccount hacked\b/, { group: 'spam.recovery' }),
  S('spam.shortener', 2, 'bit ly linktr ee tinyurl', /\b(?:bit\.ly|linktr\.ee|tinyurl\.com|goo\.gl|t\.co|cutt\.ly|rb\.gy|is\.gd)\/\S+/, { group: 'spam.link' }),
  S('spam.odd_domain', 1, '', /\b[\w-]+\.(?:biz|io|xyz|top|click|info|shop|store|online|site|co|cn|ru|agency)\b(?:\/\S*)?(?=[\s.,!)]|$)/, { group: 'spam.domain', helper: true }),
  S('spam.typosquat', 3, '', /\b(?:amaz0n|paypa1|m1crosoft|micros0ft|app1e|goog1e|netfl1x|royalmail-|dhl-|hmrc-|nhs-staff-|[\w-]+-(?:verify|claim|secure|rewards|prize|appeal)[\w-]*\.)\S*/, { group: 'spam.phish4', when: /[a-z0-9-]\.[a-z]{2,}/i }),
  S('spam.money_sign', 1, '', /£\d|\$\d/, { group: 'spam.price', helper: true }),
  S('spam.hashtags', 1, '', /(?:#\w+\s*){3,}/u, { group: 'spam.hashtags', when: /#/, helper: true }),
  S('spam.rich_emoji', 1, '', /(?:💯|🚀|💸|💰|📈|🔥|✅|💷|🎁|👉)/u, { group: 'spam.emoji', emoji: true, helper: true }),
];

// story: wants to share their story, volunteer, take part in a campaign or curate the account
export const STORY_RULES: readonly Rule[] = [
  T('story.share_story', 3, 'share tell talk story experience journey', /\b(?:share|tell|sharing|telling|talk (?:publicly )?about|talking about|speak (?:publicly )?about|write about)\b (?:my|our|his|her|their|the twins'?) (?:own )?(?:story|stories|experience|experiences|journey)\b|\b(?:tell|share) (?:our|my) story\b|\bpatient (?:story|stories|voice)\b|\bour (?:story|journey) (?:for|with)\b/, { group: 'story.share' }),
  T('story.volunteer', 3, 'volunteer volunteering', /\b(?:to|i|we|become|becoming|be|about|apply|sign up|signing up|interested in|like|love|keen|want|offer)\b(?: \w+){0,3} (?:a )?volunteer(?:ing)?\b(?! (?:at|on|who|was|were|in) (?:the |your )?(?:main |info |information )?(?:entrance|desk|reception|made|was))|\bvolunteering\b|(?<!\b(?:the|a|your|our|lovely|kind|that) )\bvolunteer (?:as|with|on|a few)\b/, { ...NEG, group: 'story.volunteer' }),
  T('story.give_back', 2, 'back', /\bgive (?:something )?back\b/, { group: 'story.give_back' }),
  T('story.take_part', 2, 'part involved', /\b(?:take part|taking part|get involved|getting involved|be (?:a )?part of|be involved|join in|sign up)\b/, { group: 'story.take_part' }),
  T('story.campaign', 1, 'campaign call out appeal awareness day week month', /\b(?:campaign|call-?out|charity appeal|appeal|awareness (?:day|week|month)|world \w+(?: \w+)? day|\w+ (?:day|week|month)\b(?= (?:video|campaign|post|content)))\b/, { group: 'story.campaign', helper: true }),
  T('story.takeover', 3, 'takeover curate curating', /\b(?:(?:instagram |insta |account |social media |twitter |tiktok )?takeover|take over (?:the|your) (?:[\w-]+ )?(?:account|instagram|insta|page|twitter|stories|socials|feed)|curate (?:the|your) (?:\w+ )?(?:account|page|feed)|day in the life)\b/, { group: 'story.takeover' }),
  T('story.be_featured', 3, 'filmed featured interviewed feature featuring video videos post content blog', /\b(?:happy|willing|love|like|keen|want|wants|glad)(?: \w+)? to be (?:filmed|featured|interviewed|photographed|in (?:a|one of your|your) (?:video|post|campaign|film))\b|\bbe in (?:one of )?your (?:videos?|posts?|campaign|content)\b|\b(?:feature|featuring) (?:it|in your|me|us|our|my|long covid|patients'? experiences)\b|\b(?:write|writing) a (?:guest )?(?:blog|post|piece|article) (?:for|on) (?:the|your) (?:trust |hospital )?(?:website|blog|page|site|socials|newsletter)\b|\b(?:write|writing) a (?:guest )?blog\b|\b(?:help with|contribute to|be part of) your [\w ]{0,30}(?:content|campaign|videos?|week|month|day)\b|\bif you need a patient (?:to speak|story|voice)\b|\bfeature in your\b|\b(?:your|the) (?:pride|\w+) (?:month|week|day) (?:content|video|post)\b/, { group: 'story.feature' }),
  T('story.talk_about', 2, 'talk speak write', /\b(?:like|love|want|happy|keen|willing) to (?:talk|speak|write) (?:publicly |openly )?about (?:life|living|my|our|what|how|it|being)\b/, { group: 'story.talk' }),
  T('story.on_your_channel', 2, 'insta instagram page account channel website tiktok socials', /\b(?:post|series|content|video|blog|takeover|reel|reels|story|stories) (?:on|for) your (?:insta|instagram|page|account|channel|website|tiktok|socials|feed|blog)\b/, { group: 'story.channel' }),
  T('story.help_others', 1, 'help encourage others', /\b(?:help (?:others|other people|someone else)|encourage (?:other|others|people|younger|more))\b/, { group: 'story.help_others', helper: true }),
  T('story.offer', 1, 'happy love like', /\b(?:happy to|would love to|we'?d love to|i'?d love to|would be happy to|would be delighted to|keen to)\b/, { group: 'story.offer', helper: true }),
];

// praise: thanks, compliments to staff or a ward
export const PRAISE_RULES: readonly Rule[] = [
  Z('praise.thanks_strong', 3, 'thank thanks', /\b(?:huge|massive|big|heartfelt|special|sincere|sincerest|enormous|biggest|immense)\b(?: \w+)? thanks?\b|\bthank you (?:so much|to (?:all|every|the|everyone|each|dr|nurse|the team)|for (?:everything|looking after|all|the care|sorting|your)|all\b)|\bpass (?:on )?(?:my|our) (?:thanks|gratitude)\b|\bcan'?t thank\b[^.!\n]{0,40}\benough\b|\bforever grateful\b|\bthanks (?:to|so much)\b/, { ...NEG, group: 'praise.thanks' }),
  Z('praise.thanks', 2, 'thank thanks thankyou grateful gratitude cheers diolch grazie dziękuję gracias obrigado obrigada shukriya', /\b(?:thank(?:s| you|ful)|thankyou|grateful|gratitude|diolch|grazie|dziękuję|gracias|obrigad[oa]|mulțumesc|shukriya|شکریہ|شكرا)\b/u, { ...NEG, group: 'praise.thanks' }),
  Z('praise.thank_the', 2, 'thank', /\b(?:want(?:ed)? to|like to|would like to|just to|to) (?:say )?(?:a )?(?:big |huge |massive )?thank (?:you|the|all|everyone|every|them|him|her|your)\b|\bthank (?:the|all the|everyone|every one)\b/, { ...NEG, group: 'praise.thanks' }),
  Z('praise.shout_out', 3, 'shout fair hats kudos props respect', /\b(?:shout[- ]?out to|fair play to|hats off to|kudos to|props to|massive respect|big respect|respect to)\b/, { group: 'praise.compliment' }),
  Z('praise.rating', 2, '10 fab five', /\b(?:fab|five star|first class|top notch|spot on)\b/, { group: 'praise.rating' }),
  Z('praise.rating_number', 2, '', /\b10\/10\b|\b5 star\b/, { group: 'praise.rating' }),
  Z('praise.rating_stars', 2, '', /⭐⭐/u, { group: 'praise.rating', emoji: true }),
  Z('praise.cant_fault', 3, 'fault praise', /\bcouldn'?t fault\b|\bcan'?t fault\b|\bcannot fault\b|\b(?:can'?t|cannot|could not|couldn'?t) (?:praise|thank)\b[^.!\n]{0,40}\benough\b|\bplease thank (?:him|her|them|the team|everyone|all)\b|\bnothing (?:was|is) too much trouble\b/, { group: 'praise.compliment' }),
  Z('praise.staff_were', 3, 'amazing brilliant fantastic incredible wonderful superb outstanding excellent phenomenal angels heroes stars legends kind lovely great fab caring gentle patient thorough friendly reassuring professional', /\b(?:you|they|staff|team|teams|nurses|nurse|doctors?|midwi(?:fe|ves)|surgeon|consultant|paramedics?|porters?|everyone|everybody|all|unit|ward|crew|physios?|volunteer|lady|ladies|man|woman|cleaner|pharmacist|anaesthetist|specialists)\b(?: [\w'-]+){0,8}? (?:are|were|was|is|have been|has been)(?: all| just| so| really| absolutely| honestly| genuinely| nothing short of| absolute| total| real| true| such)?(?: an?)? (?:so |really |very |incredibly |absolutely |absolute |real )?(?:amazing|brilliant|fantastic|incredible|wonderful|superb|outstanding|excellent|phenomenal|angels|heroes|stars|legends|kind|lovely|great|fab|caring|gentle|patient|thorough|friendly|reassuring|professional|calm and kind|calm|marvellous|first class|spot on|a credit)\b/, { ...NEG, group: 'praise.compliment' }),
  Z('praise.killing_it', 2, 'killing smashed nailed smashing', /\b(?:killing it|smashed it|nailed it|smashing it|smashing job)\b/, { group: 'praise.compliment4' }),
  Z('praise.effort', 2, 'effort job work', /\b(?:brilliant|great|amazing|fantastic|fab|superb|incredible|wonderful|excellent|outstanding) (?:effort|job|work|service|care|team|teamwork)\b/, { ...NEG, group: 'praise.compliment2' }),
  Z('praise.love_to', 2, 'love', /\b(?:big|much|lots of|sending|so much) love (?:to|for) (?:the|all|everyone|you|your)\b/, { group: 'praise.compliment3' }),
  Z('praise.you_are_a', 3, 'legend star hero angel gem diamond saint', /\b(?:you'?re|you are|they'?re|they are|she'?s|she is|he'?s|he is|you were|she was|he was)(?: all)? (?:a |an |absolute |total |real |true |proper |such )*(?:legends?|stars?|heroes|hero|angels?|gems?|diamonds?|saints?|credit to)\b/, { ...NEG, group: 'praise.compliment' }),
  Z('praise.talked_through', 1, 'talked walked explained', /\b(?:talked|walked|explained (?:it|everything) to) (?:me|us|him|her)(?: through)?\b/, { group: 'praise.effect4', helper: true }),
  Z('praise.so_kind_with', 2, 'patient kind caring gentle thorough helpful friendly lovely reassuring', /\bso (?:patient|kind|caring|gentle|thorough|helpful|friendly|lovely|reassuring|good) (?:with|to)\b/, { group: 'praise.effect2' }),
  Z('praise.no_words', 2, 'words', /\bno words (?:will|could|can|would)? ?(?:ever )?(?:be enough|express|describe|do (?:it|them) justice)\b|\bwords can'?t (?:express|describe)\b/, { group: 'praise.effect3' }),
  // "Thanks" closing a question or an email is a courtesy, not praise
  rule('negative', 'praise.courtesy_thanks', 1, 'thanks thank cheers', /\?[^?]{0,80}\b(?:thanks|thank you|cheers|ta|many thanks)\b[^\w]*(?:\n.{0,40})?$|^\s*(?:thanks|thank you|many thanks|thanks in advance|cheers)[,.!]?\s*$|\bthanks in advance\b|\bthank you for your (?:help|time)\b/m, { against: 'praise' }),
  Z('praise.made_day', 2, 'day life laugh ease', /\bmade my (?:day|week)\b|\bsaved (?:my|his|her|their|our) (?:life|lives|son|daughter|baby|boy|girl|dad|mum|husband|wife|nan|grandad|child|children|twins|family)\b|\bwe think of you\b|\bput (?:me|us|her|him) at ease\b|\bmade (?:him|her|me|us) laugh\b|\bbrightens\b|\bbest day ever\b|\bmade a (?:big |huge |real )?difference\b|\bkept me calm\b|\bnever forget (?:that|the|your) kindness\b|\bnothing like i'?d imagined\b|\bnothing to worry about\b/, { group: 'praise.effect' }),
  Z('praise.commend', 3, 'commend praise proud', /\b(?:i'?d like to |want to |wish to )?commend\b|\bpraise (?:for|to)\b|\bproud (?:to work|of (?:the|our|my) team)\b/, { group: 'praise.compliment' }),
  Z('praise.heart_emoji', 1, '', /❤️|💙|💜|💚|💛|🙏|👏|😇|🙌|💪|💕|💗|💖|🥰|😍|🤍|🧡|♥️/u, { group: 'praise.emoji', emoji: true, helper: true }),
  Z('praise.rang_bell', 2, 'bell', /\brang the bell\b/, { group: 'praise.effect' }),
];

// general: named topics that are general enquiries (they lower nothing; they explain the route)
export const GENERAL_RULES: readonly Rule[] = [
  G('general.foi', 2, 'freedom information foi', /\bfreedom of information\b|\bfoi\b/, { group: 'general.topic' }),
  // an FOI request asks for figures; it is not a grievance however grim the figures
  rule('negative', 'general.foi_not_complaint', 2, 'freedom information foi', /\bfreedom of information\b|\bfoi (?:request|officer)\b/, { against: 'complaint' }),
  G('general.topic_phrase', 1, 'visiting car wi prayer work board medical copy lost open apply', /\b(?:visiting (?:times|hours)|car park|wi-fi|prayer room|work experience|board meeting|medical records|copy of my records|lost property|open day|apply(?:ing)? for)\b/, { group: 'general.topic', helper: true }),
];
