import { mediaOutlet, outletsInText } from './media-outlet.js';

describe('mediaOutlet', () => {
  describe('from the sender\'s domain', () => {
    it.each([
      ['d.marsh@hsj.co.uk', 'HSJ'],
      ['j.pritchard@dailymail.co.uk', 'Daily Mail'],
      ['ruth.adebayo@pamediagroup.com', 'PA Media'],
      ['newsdesk@pa.media', 'PA Media'],
      ['someone@theguardian.com', 'The Guardian'],
      ['someone@thetimes.com', 'The Times'],
      ['someone@news.sky.uk', 'Sky News'],
      ['reporter@nursingtimes.net', 'Nursing Times'],
      ['a.person@lbc.co.uk', 'LBC'],
      ['Someone@BBC.CO.UK', 'BBC'],
    ])('%s → %s', (email, outlet) => {
      expect(mediaOutlet({ text: 'Could you provide a comment on the figures?', email })).toBe(outlet);
    });

    it('takes the more specific title when the text names one of the domain\'s outlets', () => {
      const text = "Hello,\n\nI'm a producer on the Breakfast show at BBC Radio Northvale. We'd love a spokesperson.\n\nBest,\nTom Achterberg\nProducer, BBC Radio Northvale";
      expect(mediaOutlet({ text, email: 'tom.achterberg@bbc.co.uk' })).toBe('BBC Radio Northvale');
      expect(mediaOutlet({ text: "I'm a researcher on ITV's Tonight programme.", email: 'farah.siddiqui@itv.com' })).toBe("ITV's Tonight");
    });

    it('keeps the domain\'s outlet when the text names something else', () => {
      expect(mediaOutlet({ text: "I'm a producer on the Breakfast show.", email: 'tom@bbc.co.uk' })).toBe('BBC');
    });

    it('names the title, with its group, for a publishing group\'s address', () => {
      expect(mediaOutlet({ text: "I'm a reporter at the Sheffield Star and I'm working on a story", email: 'jo.bloggs@nationalworld.com' })).toBe(
        'Sheffield Star (NationalWorld)',
      );
      expect(mediaOutlet({ text: 'Could you comment?', email: 'jo.bloggs@reachplc.com' })).toBe('Reach plc');
    });

    it('does not read an ISP or lookalike domain as an outlet', () => {
      expect(mediaOutlet({ text: 'The car park charges are a disgrace.', email: 'derek.hammond@sky.com' })).toBeUndefined();
      expect(mediaOutlet({ text: 'When is my appointment?', email: 'someone@notbbc.co.uk' })).toBeUndefined();
      expect(mediaOutlet({ text: 'When is my appointment?', email: 'someone@gmail.com' })).toBeUndefined();
    });
  });

  describe('from the text', () => {
    it.each([
      ["Hi - I'm a journalist at Sky News. We understand there's been a fire in the pathology lab.", 'Sky News'],
      ["I'm a reporter at the Sheffield Star and we're working on a story about parking.", 'Sheffield Star'],
      ["I'm a reporter with the Hetherby Gazette, could someone call me?", 'Hetherby Gazette'],
      ['BBC Look North here - could we film outside Kingsmead tomorrow?', 'BBC Look North'],
      ['Hi! Nursing Times here 👋 we\'re doing a piece on your international nurse recruitment programme', 'Nursing Times'],
      ["Hi, Nick from the Mirror here. We've been contacted by a family about their dad's care", 'Daily Mirror'],
      ['Hi, Kerry from the Hetherby Gazette here - could someone from your press office give me a call?', 'Hetherby Gazette'],
      ['I am writing on behalf of ITV News about the norovirus ward closures.', 'ITV News'],
      ["Hi @NorthvaleNHS, I'm with ITV Calendar - could someone from the press team DM me?", 'ITV Calendar'],
      ['Producer at @BBCLookNorth 👋 anyone at @NorthvaleNHS free to chat about the new robotic surgery kit?', '@BBCLookNorth'],
      ['Working on a story for @thetimes about consultants doing private work. Deadline Weds', 'The Times'],
      ["Hi there, I'm writing a feature for the Guardian on corridor care", 'The Guardian'],
      ['Researcher here for a BBC One consumer programme - we\'re looking into car parking charges', 'BBC One'],
      ['Hi, LBC newsdesk. A caller to the show this morning said her husband was sent home', 'LBC'],
      ['Best,\nAisha Karim\nHealth Correspondent\nNorthvale Courier', 'Northvale Courier'],
      ['Thanks,\nHannah Cole\nSenior Reporter, Northvale Echo\n07700 900512', 'Northvale Echo'],
      ['Please send any comment by 6pm.\n\nRuth Adebayo\nPA Media', 'PA Media'],
    ])('%j → %s', (text, outlet) => {
      expect(mediaOutlet({ text })).toBe(outlet);
    });

    it('uses an outlet in the display name', () => {
      expect(mediaOutlet({ text: 'Could you call me?', displayName: 'Jane Smith | BBC Radio Sheffield' })).toBe('BBC Radio Sheffield');
      expect(mediaOutlet({ text: 'Could you call me?', displayName: 'Jane Smith (Northvale Echo)' })).toBe('Northvale Echo');
      expect(mediaOutlet({ text: 'Could you call me?', displayName: 'Jane Smith (she/her)' })).toBeUndefined();
    });

    it.each([
      ["I'm a patient at the Northern General and I've waited six hours"],
      ['My mum is on Ward 15 at Riverside and nobody has called us back'],
      ['Hi, Dave here. The parking at St Cuthbert\'s is a disgrace'],
      ["I'm from Sheffield and I'd like to complain about my appointment"],
      ["Hi, it's Dave from Sheffield here, my dad is on your stroke unit"],
      ['I am writing on behalf of Northvale Council about the bus route'],
      ["I'm with Northvale Carers Group and we'd like to visit"],
      ["hey! I'm a final year film student making a short doc about hospital chaplaincy for my degree"],
      ['Researcher here, looking for data on waiting times'],
      [''],
    ])('finds none in %j', (text) => {
      expect(mediaOutlet({ text })).toBeUndefined();
    });

    it('lists what the text names in the order it appears', () => {
      expect(outletsInText("I'm a development researcher at Lanternlight Productions. We're developing a documentary series for Channel 4.")).toEqual([
        'Lanternlight Productions',
        'Channel 4',
      ]);
    });

    it('caps what it returns', () => {
      const outlet = mediaOutlet({ text: `I'm a reporter at ${'Very '.repeat(3)}${'Long'.repeat(40)} News` });
      expect(outlet === undefined || outlet.length <= 80).toBe(true);
    });
  });
});
