"""Makes tests/data/dedup/copies-b.jsonl, the second labelled near-duplicate set.

Usage: python3 tests/data/dedup/make_copies_b.py tests/data/dedup/copies-b.jsonl

Every text below is written by hand for this file; the copies are scripted variants
of them (briefs, trims, interleaved local paragraphs, house style, revisions).
The set concentrates on the boundary:

  positives  wire briefs (first 3 / first 5 paragraphs of a long story), copies that
             interleave local paragraphs and cut the last third, heavy house-style
             copies, a press release reused by three small sites with different intros;
  negatives  two short articles built round the same long Home Office statement, one
             outlet's explainer box appended to three different articles, two
             independent reports of one court ruling (same quotes, same figures), a
             long feature quoting three paragraphs of a wire story, a live page that
             carries two paragraphs of a wire story among other items.

Outlets, people (other than a few public office-holders named in passing) and URLs
are invented; all domains are under .example.
"""
import json
import sys

RECORDS = []


def paras(s):
    return [p.strip().replace("\n", " ") for p in s.strip().split("\n\n") if p.strip()]


def sub(ps, old, new, count=1):
    """Replace in a list of paragraphs; require exactly `count` hits (None: at least one)."""
    joined = "\n\n".join(ps)
    n = joined.count(old)
    assert n > 0, ("missing", old)
    if count is not None:
        assert n == count, (old, n)
    return joined.replace(old, new).split("\n\n")


def restyle(ps, pairs):
    for old, new in pairs:
        ps = sub(ps, old, new)
    return ps


def curly(ps):
    def one(text):
        out = []
        for i, ch in enumerate(text):
            prev = text[i - 1] if i else " "
            if ch == '"':
                out.append("\u201c" if prev in " \n(\u2013-" else "\u201d")
            elif ch == "'":
                out.append("\u2018" if prev in " \n(" else "\u2019")
            else:
                out.append(ch)
        return "".join(out)
    return [one(p) for p in ps]


def rec(id, outlet, url, title, ps, published, group, kind, notes):
    assert isinstance(ps, list) and all(p and "\n" not in p for p in ps), id
    RECORDS.append(dict(id=id, outlet=outlet, url=url, title=title, text="\n\n".join(ps),
                        published=published, group=group, kind=kind, notes=notes))


# ===========================================================================
# G1  charter-mna: agency story on the February 2019 Jamaica charter flight.
#     Copies: 3-paragraph brief, 5-paragraph brief + sign-off, interleaved local
#     paragraphs with the last third cut, heavy house style, aggregator.
# ===========================================================================
CH = paras('''
A charter flight carrying people deported from the UK left for Jamaica early on Wednesday with 29 people on board, after the Court of Appeal ordered the Home Office not to remove dozens of others who said they had been unable to get legal advice.

The plane took off from Stansted airport at about 6.30am, a few hours after a late-night ruling that detainees held at two removal centres near Heathrow should be taken off the flight because a faulty mobile phone mast had left many of them without a signal for days.

The Home Office had planned to remove around 50 people. It said everyone on board was a foreign national offender who had served a prison sentence of at least 12 months.

Lawyers told the court that people held at Colnbrook and Harmondsworth could not reach their solicitors or gather evidence for last-minute appeals because of the fault, which the network operator said it had been trying to repair since the end of January. The judges agreed that nobody at the two centres who had lacked a proper chance to seek advice should be removed until the problem was fixed.

Campaigners say several of those facing removal came to Britain as young children and have not lived in Jamaica since. Some have British partners and children, and one man was said to have arrived in London at the age of four and never to have left the country.

Marcia Bennett, whose brother was driven to Stansted on Tuesday evening and then returned to Harmondsworth after the ruling, said: "We sat up all night waiting for the phone to ring. He has been here since he was six. His girls are at secondary school in Croydon. He made mistakes and he went to prison for them, but he has done his time and this is the only country he knows."

Ms Bennett said her brother, who is 34, had been convicted of a drugs offence in 2011 and had not been in trouble since. He was detained when he attended a routine reporting appointment in January.

The flight was the first charter to Jamaica since the Windrush scandal broke last spring, and critics said it showed the Home Office had learned little from its treatment of Caribbean-born people who had spent most of their lives in the UK.

A Home Office spokeswoman said: "We make no apology for seeking to remove foreign criminals who have committed serious offences. Everyone on this flight has had their case carefully considered and has been given the opportunity to make representations. The court's decision relates to a temporary technical problem and we will seek to remove those affected as soon as possible."

The department said that none of the people on board had been identified as a member of the Windrush generation, and that every case had been checked against the records of its Windrush taskforce before removal directions were issued.

Dozens of MPs signed a letter on Monday asking Home Secretary Sajid Javid to halt the flight until the Windrush lessons learned review has been published. The letter, addressed to Mr Javid, argued that nobody should be deported to the Caribbean while questions remained about the quality of the department's records.

Tom Asante, a solicitor at Brickfield Law, which represented several of the detainees, said the ruling showed "how fragile the whole process is". He added: "These are people being sent to a country many of them barely remember. The very least we should expect is that they can pick up a phone and speak to a lawyer. For the best part of a week, many of them could not."

Mr Asante said about 40 per cent of the people his firm had seen in detention in January had not spoken to a lawyer at all before they were given a removal date.

Brickfield Law said it would ask the Home Office to confirm in writing that nobody would be removed from either centre until the mobile network had been working normally for at least a week.

The court's order covers only detainees at Colnbrook and Harmondsworth. People held elsewhere, including Morton Hall in Lincolnshire and The Verne in Dorset, were not affected, and the Home Office said it expected to rearrange the removals of those taken off the flight within weeks.

The Home Office has run charter flights to Jamaica, Nigeria, Ghana and Pakistan in recent years and says they are a cost-effective way of removing people who refuse to leave voluntarily. Critics argue that the flights make it easier to remove large numbers of people at short notice, before they have had time to find a lawyer.

The Jamaican government has said officials will meet returnees at the airport in Kingston and help them to find somewhere to live and work. Charities in Jamaica say people who are deported often face stigma and can be targeted by criminal gangs.
''')
assert len(CH) == 17
g = "charter-mna"
CH_URL = "https://wire.meridiannews.example/2019/02/06/mna-0206-117-jamaica-charter-flight-leaves-after-court-ruling"
rec("charter-mna-00", "Meridian News Agency", CH_URL,
    "Deportation flight leaves for Jamaica after court halts removal of dozens",
    CH, "2019-02-06T09:40:00+00:00", g, "original",
    "Agency original, 17 paragraphs. Paragraphs 4, 6 and 9 are quoted inside feature-chronicle-00 "
    "(a separate group).")

rec("charter-mna-06", "Meridian News Agency", CH_URL,
    "Deportation flight lands in Jamaica after court halts removal of dozens",
    CH[:3] + ["The plane landed at Norman Manley International Airport in Kingston shortly after midday local time, "
              "where the returnees were met by Jamaican immigration officials and representatives of a "
              "resettlement charity."] + CH[3:],
    "2019-02-06T17:25:00+00:00", g, "revision",
    "Agency writethrough at the same url: arrival paragraph inserted after paragraph 3, headline changed.")

rec("charter-mna-01", "Thames Valley Live",
    "https://www.thamesvalleylive.example/news/uk/jamaica-deportation-flight-takes-off-29-on-board-58213",
    "Jamaica deportation flight takes off with 29 on board",
    CH[:3], "2019-02-06T10:05:00+00:00", g, "syndicated",
    "Wire brief: first 3 paragraphs only (~125 words of an ~820-word story), own headline. "
    "Positive: containment in the original is total, overall similarity is low.")

rec("charter-mna-02", "Croydon Weekly Observer",
    "https://www.croydonobserver.example/news/deportation-flight-jamaica-court-of-appeal-ruling-20412",
    "Croydon families wait as court stops dozens being put on Jamaica flight",
    CH[:5] + ["Are you or your family affected? Contact our newsdesk at news@croydonobserver.example."],
    "2019-02-06T11:30:00+00:00", g, "syndicated",
    "Wire brief: first 5 paragraphs plus a one-line local sign-off asking readers to contact the newsdesk.")

local1 = ("In Birmingham, where several of the families affected live, members of a Handsworth church met on "
          "Tuesday night to pray for a 41-year-old father of three who had been due to be on the flight. His "
          "wife said he was told shortly before midnight that he would be staying at Colnbrook for now.")
local2 = ("Janice Reid, who represents Lozells on Birmingham City Council, said: \"Every family in this city with "
          "Caribbean roots is watching this and thinking about last year. People are frightened. They want to know "
          "that the Home Office has checked, and checked again, before it puts anyone on a plane.\"")
rec("charter-mna-03", "Midland Evening Star",
    "https://www.midlandeveningstar.example/news/birmingham/birmingham-families-jamaica-flight-court-ruling-7781204",
    "Birmingham church prays for father as court pulls dozens off Jamaica flight",
    CH[:3] + [local1] + CH[3:7] + [local2] + CH[7:11], "2019-02-06T13:15:00+00:00", g, "syndicated",
    "Two local (Birmingham) paragraphs interleaved, after wire paragraphs 3 and 7; wire paragraphs 12-17 "
    "(the last third) cut.")

v = restyle(CH, [
    ("left for Jamaica early on Wednesday", "left for Jamaica early yesterday"),
    ("after the Court of Appeal ordered", "after the court of appeal ordered"),
    ("Stansted airport at about 6.30am", "Stansted Airport at around 6:30am"),
    ("planned to remove around 50 people", "planned to remove about 50 people"),
    ("a prison sentence of at least 12 months", "a prison sentence of at least a year"),
    ("held at Colnbrook and Harmondsworth could not reach",
     "held at the Colnbrook and Harmondsworth immigration removal centres couldn't reach"),
    ("have not lived in Jamaica since", "haven't lived in Jamaica since"),
    ("at the age of four", "aged 4"),
    ("Marcia Bennett, whose brother", "Marcia Bennett, 38, whose brother"),
    ("on Tuesday evening", "on Tuesday night"),
    ("Ms Bennett said her brother, who is 34,", "Bennett said her brother, 34,"),
    ("had not been in trouble since", "hadn't been in trouble since"),
    ("the Windrush scandal broke last spring", "the Windrush scandal broke in spring 2018"),
    ("A Home Office spokeswoman said:", "A spokeswoman for the Home Office said:"),
    ("its Windrush taskforce", "its Windrush Taskforce"),
    ("asking Home Secretary Sajid Javid to halt", "asking the home secretary, Sajid Javid, to halt"),
    ("Windrush lessons learned review", "Windrush Lessons Learned Review"),
    ("addressed to Mr Javid,", "addressed to Javid,"),
    ("Mr Asante said about 40 per cent", "Asante said about 40%"),
    ("had not spoken to a lawyer at all", "hadn't spoken to a lawyer at all"),
    ("Morton Hall in Lincolnshire and The Verne in Dorset, were not affected",
     "Morton Hall in Lincolnshire and the Verne in Dorset, weren't affected"),
    ("The Jamaican government has said", "The Jamaican Government has said"),
])
rec("charter-mna-04", "The Daily Beacon",
    "https://www.dailybeacon.example/uk-news/2019/feb/07/jamaica-deportation-charter-flight-court-of-appeal",
    "Dozens pulled from Jamaica deportation flight over faulty phone mast",
    curly(v), "2019-02-07T00:05:00+00:00", g, "syndicated",
    "Next-day copy, all 17 paragraphs, heavy house style throughout (22 edits): 'yesterday', lower-case "
    "'court of appeal', '6:30am', '40%', 'the home secretary, Sajid Javid,' then 'Javid' (no 'Mr'), 'Bennett' "
    "and 'Asante' without honorifics, contractions (couldn't, haven't, hadn't, weren't), 'aged 4', added age, "
    "capitalised 'Windrush Taskforce'/'Lessons Learned Review'; curly quotes.")

rec("charter-mna-05", "NewsPulse UK",
    "https://newspulse.example/uk/deportation-flight-leaves-for-jamaica-after-court-ruling",
    "Deportation flight leaves for Jamaica after court ruling",
    curly(CH[:8]), "2019-02-06T09:58:00+00:00", g, "syndicated",
    "Aggregator: first 8 paragraphs, curly quotes, headline shortened.")


# ===========================================================================
# G2  hotline-mna: agency story (October 2018) about an MP's office reporting a
#     constituent to the immigration enforcement hotline.  Contains the Home
#     Office statement that statement-harbourside / statement-mercury are built on.
# ===========================================================================
HO_STATEMENT = ('"MPs play a vital role in representing their constituents and it is right that they can raise '
                'individual cases with the Home Office on their behalf. We do not ask MPs or their staff to report '
                'people to Immigration Enforcement, and there is no expectation that they should do so. Where '
                'information about a possible immigration offence is passed to us, from whatever source, it is '
                'assessed in the same way and acted on only where appropriate. Anyone who is worried about their '
                'immigration status is encouraged to seek independent advice or to contact the Windrush taskforce."')

HL = paras('''
An MP has apologised after a member of her staff passed the details of a constituent who had asked for help with a visa application to the Home Office's immigration enforcement hotline.

Helen Marsh, the Labour MP for Ashcombe North, said the referral had been made without her knowledge in 2016 and was "completely wrong". The constituent, a 52-year-old woman who had lived in the UK for 19 years, was later held for nine days at Yarl's Wood detention centre.

The case emerged as figures obtained by campaigners showed that MPs' offices have contacted the hotline hundreds of times in recent years, in some cases about people who had come to them for help.

Ms Marsh said: "When someone walks into my office and asks for help, they should be able to trust that we are on their side. What happened in this case fell far short of that. I have apologised to her personally and I have made sure that nobody working for me will ever do this again."

The woman, who asked not to be named, said she had gone to the MP's surgery after the Home Office lost her passport while considering an application for leave to remain. Eleven weeks later, enforcement officers arrived at her home shortly after 6am. She was released when a solicitor showed that her application had never been decided.

"I went to them because I thought that is what an MP is for," she said. "I did not know I was doing something dangerous. My children watched them take me away and they still ask me if it will happen again."

Figures released under freedom of information rules show that the hotline received 514 contacts from MPs or their staff between 2013 and 2017. The Home Office said it did not hold information on how many of those had led to enforcement action.

Campaigners have urged every MP to promise publicly that they will never report a constituent, and say a small number of offices appear to use the hotline routinely when faced with cases they cannot resolve.

They say the hotline, which members of the public can use anonymously, was never designed for MPs' offices, and that caseworkers who ring it are often trying to check a constituent's status rather than to report them. Once details have been passed on, however, they are treated in the same way as any other tip-off.

In a statement, the Home Office said: @STATEMENT@

Dr Ifeoma Clarke, a researcher at the Centre for Migration Rights at Kingsbridge University, said the problem was partly one of training. "Most caseworkers are young, overstretched and have never been told what the hotline actually does," she said. "They think they are escalating a case. In reality they may be handing someone over."

Several MPs have called on Home Secretary Sajid Javid to write to every member of parliament making clear that they have no duty to pass on information about a constituent's immigration status. A letter signed by 31 MPs was delivered to Mr Javid's office last week.

The issue has been raised repeatedly since the Windrush scandal, in which long-term residents from the Caribbean were wrongly told they had no right to be in the UK. Many of those cases were taken up by MPs, and campaigners fear that people in a similar position may now be too frightened to ask for help.

Ms Marsh said she had asked the House of Commons authorities to include guidance on immigration cases in induction training for new staff. "This should never depend on the good sense of an individual caseworker," she said.

Guidance for MPs' caseworkers on the parliamentary intranet explains how to raise an enquiry on a constituent's behalf but says nothing about the enforcement hotline, according to campaigners who have seen it.

The figures show that about 15 per cent of the contacts from MPs' offices were made by just three constituencies, although the Home Office declined to name them.
'''.replace("@STATEMENT@", HO_STATEMENT))
assert len(HL) == 16
g = "hotline-mna"
rec("hotline-mna-00", "Meridian News Agency",
    "https://wire.meridiannews.example/2018/10/22/mna-1022-064-mp-apologises-constituent-reported-immigration-hotline",
    "MP apologises after caseworker reported constituent to immigration hotline",
    HL, "2018-10-22T10:30:00+01:00", g, "original",
    "Agency original, 16 paragraphs. Paragraph 10 is the full Home Office statement that the two short "
    "articles statement-harbourside-00 and statement-mercury-00 (separate groups) are built around.")

rec("hotline-mna-01", "Regional News Hub",
    "https://regionalnewshub.example/politics/2018/10/22/labour-mp-sorry-over-immigration-tip-off",
    "Labour MP sorry over immigration tip-off",
    HL[:3], "2018-10-22T10:48:00+01:00", g, "syndicated",
    "Wire brief: first 3 paragraphs only (~115 words of ~760), own headline.")

rec("hotline-mna-02", "Ashcombe Gazette",
    "https://www.ashcombegazette.example/news/ashcombe-mp-apologises-immigration-hotline-referral-3310",
    "Ashcombe North MP says sorry after office reported woman to Home Office",
    HL[:5] + ["Ms Marsh holds her next advice surgery at Ashcombe Library on Saturday from 10am."],
    "2018-10-22T13:20:00+01:00", g, "syndicated",
    "Wire brief: first 5 paragraphs plus a one-line local sign-off about the MP's next surgery.")

v = restyle(HL, [
    ("Helen Marsh, the Labour MP for Ashcombe North,", "Labour's Helen Marsh, MP for Ashcombe North,"),
    ("a 52-year-old woman who had lived in the UK for 19 years", "a woman, 52, who had lived in Britain for nineteen years"),
    ("held for nine days at Yarl's Wood detention centre", "held for 9 days at Yarl's Wood immigration removal centre"),
    ("Ms Marsh said: \"When", "Marsh said: \"When"),
    ("Dr Ifeoma Clarke, a researcher", "Ifeoma Clarke, a researcher"),
    ("shortly after 6am", "just after 6am"),
    ("under freedom of information rules", "under the Freedom of Information Act"),
    ("The Home Office said it did not hold", "The Home Office said it didn't hold"),
    ("cases they cannot resolve", "cases they can't resolve"),
    ("called on Home Secretary Sajid Javid to write to every member of parliament",
     "called on Javid, the home secretary, to write to every Member of Parliament"),
    ("signed by 31 MPs was delivered to Mr Javid's office", "signed by thirty-one MPs was delivered to Javid's office"),
    ("Ms Marsh said she had asked the House of Commons authorities", "Marsh said she had asked the Commons authorities"),
    ("about 15 per cent", "about 15%"),
])
rec("hotline-mna-03", "Westcountry Daily",
    "https://www.westcountrydaily.example/news/politics/mp-apologises-constituent-reported-immigration-hotline-a88213",
    "'Completely wrong': MP's apology after woman reported to immigration enforcement",
    v, "2018-10-22T15:05:00+01:00", g, "syndicated",
    "All 16 paragraphs, heavy house style: 'Labour's Helen Marsh', 'Marsh' without honorific, numbers "
    "(nineteen, 9, thirty-one), '15%', 'Dr' dropped, 'Javid, the home secretary,' then 'Javid' (not 'Sajid Javid'/'Mr "
    "Javid'), contractions (didn't, can't), 'Freedom of Information Act', 'Britain' for 'the UK'.")

rec("hotline-mna-04", "Ledgerwood Times",
    "https://www.ledgerwoodtimes.example/news/national/woman-reported-to-immigration-after-asking-mp-for-help-91022",
    "Woman reported to immigration officers after asking MP for help",
    ["A woman who went to her MP for help after the Home Office lost her passport ended up being reported to "
     "immigration enforcement by a member of the MP's staff, it has emerged."] + HL[1:4],
    "2018-10-22T12:10:00+01:00", g, "syndicated",
    "Brief with a rewritten intro: own first paragraph, then wire paragraphs 2-4 verbatim; rest cut.")

rec("hotline-mna-05", "The Northern Packet",
    "https://www.northernpacket.example/news/uk/2018/10/23/mp-apology-immigration-hotline",
    "MP apologises over immigration referral",
    HL[:14],
    "2018-10-23T06:00:00+01:00", g, "syndicated",
    "Next-day print copy: first 14 paragraphs verbatim, last 2 cut; includes the full Home Office statement.")


# ===========================================================================
# G3 / G4  Two short articles by different outlets built round the same long
#          Home Office statement (HO_STATEMENT).  Separate groups (hard negative).
# ===========================================================================
SA = paras('''
The Home Office has insisted that MPs are under no obligation to report their constituents to immigration officers, after it emerged that a caseworker for a Labour MP passed a woman's details to the enforcement hotline.

The department issued the following statement on Monday afternoon, as pressure grew on ministers to give formal guidance to MPs' offices:

@STATEMENT@

Campaigners said the statement did not go far enough. They want ministers to write to all 650 MPs making clear that information should never be passed on without a constituent's consent, and to publish how many referrals from MPs have led to arrests.
'''.replace("@STATEMENT@", HO_STATEMENT))
g = "statement-harbourside"
SA_URL = "https://www.harboursidepost.example/news/politics/home-office-mps-not-expected-to-report-constituents-20441"
rec("statement-harbourside-00", "Harbourside Post", SA_URL,
    "Home Office: MPs are not expected to report constituents to immigration officers",
    SA, "2018-10-22T16:40:00+01:00", g, "original",
    "Short article (~200 words), about half of it the full Home Office statement also quoted in hotline-mna "
    "and statement-mercury. Own framing paragraphs. Must not be grouped with statement-mercury.")

rec("statement-harbourside-01", "Harbourside Post", SA_URL,
    "Home Office says MPs need not report constituents as campaigners demand written guidance",
    SA + ["Rafe Linton, of the campaign group Surgeries Not Borders, said: \"A statement to journalists is not "
          "the same thing as guidance. Caseworkers need something in writing that they can point to when they "
          "are unsure what to do.\""],
    "2018-10-22T19:05:00+01:00", g, "revision",
    "Revision at the same url: campaigner quote appended, headline changed.")

SB = paras('''
Eastbrook's MP has said his office has never reported a constituent to immigration enforcement, as the Home Office tried to reassure people that they can ask their MP for help without fear.

Daniel Okoro, the Conservative MP for Eastbrook and Wyle, told the Mercury his caseworkers handled about 40 immigration enquiries a month and that none had ever been referred to the hotline. "People come to us in a crisis. Our job is to help them, full stop," he said.

Asked whether MPs were expected to pass on information about constituents, a Home Office spokesperson said:

@STATEMENT@

Mr Okoro's constituency office on Wyle Road is open from Monday to Thursday, and appointments can be made by phone.
'''.replace("@STATEMENT@", HO_STATEMENT))
g = "statement-mercury"
rec("statement-mercury-00", "Eastbrook Mercury",
    "https://www.eastbrookmercury.example/news/eastbrook-mp-office-never-reported-constituent-immigration-11873",
    "Eastbrook MP: 'My office has never reported a constituent'",
    SB, "2018-10-23T09:30:00+01:00", g, "original",
    "Short local article (~210 words) whose middle is the same full Home Office statement as "
    "statement-harbourside and hotline-mna paragraph 10; framing written independently. Separate group.")

rec("statement-mercury-01", "Wyle Valley Times",
    "https://www.wylevalleytimes.example/news/our-mp-has-never-reported-a-constituent-to-home-office-5520",
    "Our MP 'has never reported a constituent' to Home Office",
    sub(SB, "told the Mercury", "told the Times"), "2018-10-23T12:00:00+01:00", g, "syndicated",
    "Sister-paper copy of statement-mercury-00: new headline, 'told the Mercury' -> 'told the Times'.")


# ===========================================================================
# G5-G7  clarion-*: three different Midland Clarion articles, each ending with the
#        same ~150-word explainer box.  Three separate groups.
# ===========================================================================
BOX = paras('''
What is the hostile environment?

The "hostile environment" is the name given to a set of policies, introduced mainly through the Immigration Acts of 2014 and 2016 while Theresa May was Home Secretary, that were designed to make life difficult for people living in the UK without permission. They require landlords, employers, banks, building societies, the NHS and the DVLA to check people's immigration status before offering them a home, a job, an account, treatment or a driving licence. Since 2018 the government has preferred to call it the "compliant environment". Critics say the checks turn ordinary businesses and public servants into border guards and encourage discrimination against anyone who appears to be foreign. The policies came under intense scrutiny during the Windrush scandal, when people who had lived in Britain legally for decades were denied work, housing and healthcare because they could not prove their status.
''')

RENT = paras('''
Landlords in the West Midlands are turning away prospective tenants because of their names or accents, a housing charity has said, days after the High Court ruled that the government's right to rent scheme causes discrimination.

Midland Tenants Advice said it had helped 63 people since last April who believed they had been refused a tenancy because of immigration checks, including British citizens and EU nationals who had every right to rent.

Under the scheme, which was extended across England in 2016, landlords face fines of up to £3,000 per tenant, and in the most serious cases prosecution, if they let a property to someone who does not have the right to live in the UK.

On Friday a High Court judge ruled that the scheme was incompatible with human rights law because it led landlords to discriminate against people on the basis of their nationality and ethnicity. The government has said it will appeal.

Parveen Akhtar, the charity's manager, said one client, a nurse born in Walsall, had been told by a letting agent that "the landlord prefers people with British passports". "She has a British passport," Ms Akhtar said. "But she had to ask three times before anyone would look at it."

She said agents were increasingly asking for passports as a matter of course, which put people without one at a disadvantage even though other documents are accepted under the rules.

Graham Toller, who chairs the Midlands Residential Landlords Forum, said most members wanted to comply with the law but were nervous about getting it wrong. "Landlords are not immigration experts. If you make the penalties this severe and the rules this complicated, some people will take the easy option and say no," he said.

The Home Office said it was disappointed by the judgment and that the scheme was an important way of deterring people from staying in the UK unlawfully. It said landlords who discriminated could face action under equality law.
''')
g = "clarion-rent"
rec("clarion-rent-00", "Midland Clarion",
    "https://www.midlandclarion.example/news/housing/tenants-foreign-names-turned-away-landlords-charity-40512",
    "Tenants with foreign-sounding names 'turned away' by Midlands landlords, charity says",
    RENT + BOX, "2019-03-04T07:00:00+00:00", g, "original",
    "Own article (right to rent) ending with the Clarion's standard 'What is the hostile environment?' box "
    "(~150 words), which also ends clarion-nhs and clarion-banks. Separate groups.")

rec("clarion-rent-01", "Black Country Clarion",
    "https://www.blackcountryclarion.example/news/landlords-turning-away-tenants-over-immigration-checks-40512",
    "Landlords 'turning away tenants over immigration checks'",
    RENT + BOX, "2019-03-04T09:30:00+00:00", g, "syndicated",
    "Sister-site copy of clarion-rent-00: same text and box, new headline.")

NHS = paras('''
A Coventry grandfather who has lived in Britain since 1974 has been sent a bill for more than £26,000 for cancer treatment because the hospital said he could not prove he was entitled to free NHS care.

Winston Forbes, 63, came to the UK from Jamaica at the age of 19 to join his parents, and worked as a bus driver in the city for more than 30 years. He was diagnosed with prostate cancer last autumn.

His family say he was asked for his passport at his first appointment and, when he could not produce one, was referred to the hospital's overseas visitors team. He was told in January that his course of radiotherapy would go ahead only if he paid in advance.

"He sat at the kitchen table with the letter and he did not say a word for an hour," said his daughter, Claudette. "He has paid his taxes here his whole life. He has never even been back to Jamaica on holiday."

Rules introduced in October last year require hospitals in England to check whether patients are eligible for free care and to charge those who are not in advance for treatment that is not urgent.

Mr Forbes has since applied to the Home Office's Windrush taskforce, which was set up in April to help long-term residents from the Commonwealth prove their status. His family say he was given an appointment within a fortnight and has been told a decision is expected shortly.

His MP has written to the hospital trust asking it to cancel the invoice and start his treatment immediately, and has raised the case with the Home Office.

Health campaigners say the case is one of dozens in which people who have lived in Britain legally for decades have been charged or refused care because they lacked documents.
''')
g = "clarion-nhs"
NHS_URL = "https://www.midlandclarion.example/news/health/coventry-grandfather-billed-cancer-care-windrush-39877"
rec("clarion-nhs-00", "Midland Clarion", NHS_URL,
    "Coventry grandfather billed £26,000 for cancer care after 44 years in Britain",
    NHS + BOX, "2018-06-18T06:00:00+01:00", g, "original",
    "Own article (NHS charging) ending with the shared explainer box. Separate from clarion-rent/-banks.")

rec("clarion-nhs-01", "Midland Clarion", NHS_URL,
    "Coventry hospital cancels £26,000 cancer bill for Windrush grandfather",
    NHS[:7] + ["A spokesman for the hospital trust said: \"We are required by law to establish whether patients are "
               "eligible for free treatment. We have now received further information about Mr Forbes's "
               "circumstances and have cancelled the invoice. We are sorry for the distress this has caused and "
               "are contacting him to arrange his treatment.\""] + NHS[7:] + BOX,
    "2018-06-18T14:20:00+01:00", g, "revision",
    "Revision at the same url: hospital trust statement inserted before the last paragraph, headline changed.")

BANKS = paras('''
The Home Office has paused some of the immigration checks carried out on bank accounts while it reviews how the measures have affected members of the Windrush generation.

Since January, banks and building societies have been required to check current account holders against a Home Office list of people thought to be in the UK unlawfully, and to close or freeze accounts where there is a match.

A Birmingham man whose account was frozen last year said the pause came too late for him. Leroy Campbell, 57, a decorator from Handsworth who came to Britain from Jamaica as a child, said he lost two jobs because he could not pay his suppliers for five weeks.

"I rang the bank every day. They told me it was out of their hands, and the Home Office told me it was a matter for the bank," he said. "Nobody would tell me who had decided that I was here illegally."

The account was unfrozen after his sister found his primary school records, which showed that he had been in the country since 1968.

Campaigners said the checks relied on records that the Home Office had itself admitted were incomplete, and that the suspension should become permanent. Kemi Adeyinka, of the Birmingham Migrant Support Centre, said: "You cannot run a system like this on data you know is wrong. It is the Windrush generation today, but it could be anyone tomorrow."

A banking industry source said lenders had asked for clearer guidance on what to do when a customer disputed a match, and that branch staff were often unable to explain why an account had been flagged.

The Home Office said the checks were an important part of making sure people could not live in the UK illegally, but that it wanted to be certain that nobody with a right to be here was affected.
''')
g = "clarion-banks"
rec("clarion-banks-00", "Midland Clarion",
    "https://www.midlandclarion.example/news/money/bank-account-immigration-checks-paused-windrush-39502",
    "Bank account checks on migrants paused after Windrush errors",
    BANKS + BOX, "2018-05-11T12:00:00+01:00", g, "original",
    "Own article (bank account checks) ending with the shared explainer box. Separate from clarion-rent/-nhs.")


# ===========================================================================
# G8 / G9  Two independent reports of the same High Court ruling: same judge's
#          remarks, same figures.  Separate groups.
# ===========================================================================
RA = paras('''
A man who came to Britain from Jamaica as a child has been awarded £68,000 in damages after the High Court ruled that the Home Office unlawfully detained him twice while he tried to prove he had the right to be in the country.

Clement Rowe, 58, arrived in London in 1969 at the age of eight to join his mother, who worked as a hospital cleaner. He was held for 21 days at Harmondsworth immigration removal centre in 2016 and for a further 12 days at Colnbrook in 2017, and on the second occasion removal directions were set for a flight to Kingston.

The flight was cancelled two days before it was due to leave, after his solicitors lodged a fresh application.

Mr Justice Carrow said: "The claimant had lived in this country for almost half a century. The documents which would have established that fact were, for the most part, already in the hands of the Home Office, and nobody troubled to look at them."

The award includes £15,000 in aggravated damages, reflecting what the judge described as the department's "high-handed" conduct, and the Home Office must also pay Mr Rowe's legal costs.

The court heard that Mr Rowe had told officers on both occasions that he had attended primary and secondary school in Lewisham and had paid national insurance since 1977. His national insurance record was obtained by his lawyers within a week of his second detention.

The judge said: "I am satisfied that those responsible for his detention treated his repeated explanations as an obstacle to be overcome rather than as information to be checked. That is not a lawful approach to the deprivation of a person's liberty."

Lawyers for the Home Office had argued that officers acted reasonably on the information available to them and that Mr Rowe had not produced evidence of his status when asked to do so.

Mr Rowe, who now lives in Catford, was granted British citizenship last year under the Windrush scheme. His solicitor, Priya Nandakumar, said: "Clement has waited a long time to hear a judge say what he always knew: that he should never have been locked up."

The Home Office said it would consider the judgment carefully. It has apologised to members of the Windrush generation and set up a compensation scheme, which opened in April.
''')
g = "ruling-mna"
rec("ruling-mna-00", "Meridian News Agency",
    "https://wire.meridiannews.example/2019/06/12/mna-0612-088-windrush-man-wrongly-detained-awarded-damages",
    "Windrush man wrongly detained twice awarded £68,000 damages",
    RA, "2019-06-12T13:40:00+01:00", g, "original",
    "Agency report of the Rowe ruling. Shares both judge's quotes, 'high-handed' and every figure (58, 1969, "
    "eight, 21 + 12 days, £68,000, £15,000, 1977, two days) with ruling-westmoor, which is written independently. "
    "Separate groups.")

rec("ruling-mna-01", "Lewisham & Catford Mercury",
    "https://www.lewishammercury.example/news/catford-man-wins-68000-damages-home-office-detention-6620",
    "Catford man wins £68,000 after Home Office locked him up twice",
    ["A Catford grandfather who was twice locked up by immigration officials despite having lived in "
     "south-east London since he was a boy has won his case against the Home Office."] + RA[:8],
    "2019-06-12T16:00:00+01:00", g, "syndicated",
    "Local top paragraph added; wire paragraphs 1-8 kept, last 2 cut.")

rec("ruling-mna-02", "NewsPulse UK",
    "https://newspulse.example/uk/windrush-man-wrongly-detained-twice-awarded-damages",
    "Windrush man awarded £68,000 for wrongful detention",
    curly(RA[:7]), "2019-06-12T13:52:00+01:00", g, "syndicated",
    "Aggregator: first 7 paragraphs, curly quotes.")

RB = paras('''
The Home Office locked up a Windrush-generation man for more than a month while holding the very records that proved he was entitled to be in Britain, the High Court has found.

Clement Rowe, who was brought from Jamaica to join his mother in London in 1969, when he was eight, spent 33 days in immigration detention across two spells: three weeks at Harmondsworth in 2016 and 12 days at Colnbrook the following year. On the second occasion he came within two days of being put on a flight to Kingston.

Ruling in his favour on Wednesday, Mr Justice Carrow awarded the 58-year-old £68,000, of which £15,000 is aggravated damages, and ordered the department to pay his costs.

The judgment is sharply critical of the officials who handled the case. "The claimant had lived in this country for almost half a century," the judge wrote. "The documents which would have established that fact were, for the most part, already in the hands of the Home Office, and nobody troubled to look at them."

Mr Rowe had told officers at each stage that he went to school in Lewisham and had been paying national insurance since 1977. Those contributions were on record and could have been checked within days, the court was told; his own lawyers obtained them in less than a week.

The Home Office's case was that officers were entitled to act on what was in front of them and that Mr Rowe had failed to provide proof when asked. The judge rejected that. "I am satisfied that those responsible for his detention treated his repeated explanations as an obstacle to be overcome rather than as information to be checked," he said. "That is not a lawful approach to the deprivation of a person's liberty."

The aggravated damages reflect what the judge called the "high-handed" way the department behaved, including setting removal directions while an application was still pending.

Legal experts said the ruling could influence dozens of similar claims. Omar Sheikh, an immigration barrister who was not involved in the case, said: "It puts on record that failing to look at your own files is not an excuse. Other claimants will be reading this very closely."

Mr Rowe was granted British citizenship last year. He is now 58 and lives in south-east London.
''')
g = "ruling-westmoor"
RB_URL = "https://www.westmoortimes.example/law/2019/jun/12/home-office-ignored-own-files-windrush-detention-ruling"
rec("ruling-westmoor-00", "Westmoor Times", RB_URL,
    "Home Office ignored its own files while detaining Windrush man, judge rules",
    RB, "2019-06-12T17:15:00+01:00", g, "original",
    "Legal correspondent's own report of the Rowe ruling, written independently of ruling-mna: same two judge's "
    "quotes and same figures, different sentences. Separate group (hard negative).")

RB1 = sub(RB, "He is now 58 and lives in south-east London.", "He lives in south-east London.")
RB1 = RB1 + ["A Home Office spokesperson said: \"We have apologised to members of the Windrush generation for the "
             "unacceptable treatment they suffered. We are considering the judgment carefully.\""]
rec("ruling-westmoor-01", "Westmoor Times", RB_URL,
    "Home Office ignored its own files while detaining Windrush man, judge rules",
    RB1, "2019-06-13T08:45:00+01:00", g, "revision",
    "Revision at the same url: repeated age removed from the last paragraph, Home Office response appended.")

rec("ruling-westmoor-02", "Northern Evening Post",
    "https://www.northerneveningpost.example/news/uk/judge-home-office-windrush-detention-files-ruling-80231",
    "Judge: Home Office had the proof and 'nobody troubled to look'",
    RB1, "2019-06-13T11:00:00+01:00", g, "syndicated",
    "Sister title republishing the revised Westmoor Times text in full with its own headline.")


# ===========================================================================
# G10  detention-lns: agency story on the Home Affairs Committee detention report
#      (March 2019).  First take, writethrough (revision), four republications.
#      Its first two paragraphs are carried by the live page (live-beacon).
# ===========================================================================
DT = paras('''
Immigration detention should be limited to 28 days, MPs have said, after an inquiry found that people were being held for months and sometimes years in conditions the committee called "unacceptable".

The Commons Home Affairs Committee said the Home Office was detaining too many people for too long, often without good reason, and that the absence of any time limit made the UK an outlier in Europe.

In a report published on Thursday, the committee said it had found "serious problems" with how decisions to detain people were made and reviewed, and that vulnerable people, including victims of torture and trafficking, were still being locked up despite safeguards introduced in 2016.

More than 24,000 people entered immigration detention in the year to September 2018, according to official figures. Most were released within a month, but several hundred had been held for more than six months and a small number for over two years.

MPs heard evidence from former detainees, lawyers, doctors and staff, and visited Brook House near Gatwick, where undercover filming broadcast in 2017 showed officers mocking and abusing people in their care.

The report is the latest in a series of critical reviews. An independent review for the Home Office found in 2016 that too many vulnerable people were being held, and a follow-up published last summer said progress had been slower than it should have been.

The committee said the adults at risk policy, intended to keep the most vulnerable out of detention, had "failed to protect" them, and that a system under which doctors raise concerns about torture survivors was not working as intended. In one case examined by MPs, a man with a documented history of torture was held for 11 months.

"The Home Office is depriving people of their liberty on the basis of poor-quality decisions and too little scrutiny," the report said. "That is not acceptable in a system that, unlike criminal justice, involves no charge, no trial and no end date."

Chloe Harwood, director of the charity Freedom From Detention, said: "Indefinite detention does enormous harm. People tell us that not knowing when, or whether, they will be released is the worst part of it. A time limit would not solve every problem, but it would end the cruellest one."

Ministers have previously resisted a time limit, arguing that it would encourage people to drag out their cases until they had to be released. The committee said the evidence did not support that argument, pointing out that countries with limits still carried out removals.

Home Secretary Sajid Javid ordered a review of detention last year, and the Home Office has promised to publish more information about people held for long periods. The committee said those steps were welcome but did not go far enough.

A cross-party group of MPs has tabled amendments to the immigration bill now going through parliament that would introduce a 28-day limit.

The committee also recommended that every decision to detain should be reviewed by a judge within 72 hours, and that the Home Office should publish an annual report on deaths in detention.
''')
assert len(DT) == 13
g = "detention-lns"
DT_URL = "https://lantern-news.example/wire/2019/03/14/lns-20190314-0007-mps-call-28-day-limit-immigration-detention"
rec("detention-lns-00", "Lantern News Service", DT_URL,
    "MPs call for 28-day limit on immigration detention",
    DT, "2019-03-14T00:01:00+00:00", g, "original",
    "Agency first take, 13 paragraphs. Paragraphs 1-2 also appear in live-beacon (a separate group).")

DT1 = sub(DT, "More than 24,000 people entered", "Some 24,700 people entered")
DT1 = DT1[:10] + ["A Home Office spokesman said: \"Detention is an important part of a fair immigration system, "
                  "helping to ensure that people with no right to be here leave the UK. We have already made "
                  "significant changes, including more support for vulnerable people, and we will consider the "
                  "committee's recommendations carefully.\""] + DT1[10:]
rec("detention-lns-01", "Lantern News Service", DT_URL,
    "MPs call for 28-day limit on immigration detention as Home Office defends system",
    DT1, "2019-03-14T11:40:00+00:00", g, "revision",
    "Writethrough at the same url: figure made precise ('More than 24,000' -> 'Some 24,700'), Home Office "
    "response inserted after paragraph 10, headline changed.")

rec("detention-lns-02", "Gatwick & Crawley Courier",
    "https://www.crawleycourier.example/news/brook-house-criticised-mps-detention-report-28-day-limit-10914",
    "Brook House in spotlight as MPs demand 28-day detention limit",
    ["Brook House, the immigration removal centre beside Gatwick airport, features prominently in a critical "
     "report on immigration detention published by MPs today."] + DT[:9],
    "2019-03-14T07:30:00+00:00", g, "syndicated",
    "From the first take: local top paragraph added, wire paragraphs 1-9 kept, last 4 cut.")

rec("detention-lns-03", "Severn Valley News",
    "https://www.severnvalleynews.example/news/national/time-limit-immigration-detention-mps-report-33182",
    "Time limit on immigration detention needed, say MPs",
    curly(DT1), "2019-03-14T13:05:00+00:00", g, "syndicated",
    "Republishes the writethrough (revision) text in full: new headline, curly quotes.")

yw1 = ("At Yarl's Wood, near Bedford, which mainly holds women, visitors said a time limit would be welcomed by "
       "many of those inside. Sue Pritchard, who has visited the centre every week for eight years, said: "
       "\"Almost every woman I see asks me the same question: how long? And I never have an answer for them.\"")
yw2 = ("Campaigners have held regular demonstrations outside the centre's gates, and a hunger strike there last "
       "year drew national attention to the length of time some women were being held.")
rec("detention-lns-04", "Ouse Valley Herald",
    "https://www.ousevalleyherald.example/news/yarls-wood-visitors-welcome-call-for-detention-time-limit-2291",
    "Yarl's Wood visitors welcome MPs' call for detention time limit",
    DT[:3] + [yw1] + DT[3:6] + [yw2] + DT[6:9], "2019-03-14T09:15:00+00:00", g, "syndicated",
    "From the first take: two local (Yarl's Wood) paragraphs interleaved after wire paragraphs 3 and 6; wire "
    "paragraphs 10-13 (about the last third) cut.")

rec("detention-lns-05", "Regional News Hub",
    "https://regionalnewshub.example/politics/2019/03/14/mps-28-day-detention-limit",
    "MPs back 28-day cap on detention",
    DT[:6], "2019-03-14T06:10:00+00:00", g, "syndicated",
    "Aggregator: first 6 paragraphs of the first take, own headline.")


# ===========================================================================
# G11  live-beacon: a politics live page (several short items) carrying wire
#      paragraphs 1-2 of detention-lns inside one item.  Two later updates of the
#      same page are revisions.  Separate group from detention-lns.
# ===========================================================================
LV_WELCOME = paras('''
8.00am GMT

Good morning and welcome to our live coverage of another big day at Westminster. MPs will vote this evening on whether the government should ask the EU to delay Brexit, two days after the prime minister's deal was defeated for a second time and a day after the Commons voted against leaving without a deal.

We will have all the build-up, the amendments and the results here, along with the rest of the day's political news.
''')
LV_0830 = paras('''
8.30am GMT

What is the vote about? The government motion says that if MPs approve a withdrawal agreement by 20 March, ministers will seek a short, one-off extension of the Article 50 process to 30 June. If they do not, the motion warns, a much longer delay would probably be needed and the UK would have to take part in European elections in May.

Several amendments have been tabled, including one calling for a second referendum and one that would let MPs take control of the Commons timetable. The Speaker will announce this afternoon which are selected.
''')
LV_0915 = paras('''
9.15am GMT

More than 1,800 headteachers in England have written to parents warning that cuts to school budgets have left them unable to replace staff or buy basic equipment. The letter, organised by a campaign group of heads in the south-east, asks families to lobby their MPs ahead of the spending review.

The Department for Education said school funding was at a record high and that it was helping schools to cut costs on everything from energy bills to supply teachers.
''')
LV_1020 = (["10.20am GMT", "Report calls for 28-day limit on immigration detention"] + DT[:2] +
           ["The committee's report also criticises the way decisions to detain are reviewed and says safeguards "
            "for vulnerable people are not working. We will bring you the government's response when we get it."])
LV_1050 = paras('''
10.50am GMT

Transport questions are under way in the Commons. Several MPs from the north of England have raised last year's timetable chaos, and the minister has told them that performance on the worst-affected lines is now "significantly better", though he accepted that passengers had been badly let down.
''')
LV_1315 = paras('''
1.15pm GMT

The Home Office has responded to this morning's detention report. A spokesman told us detention was a necessary part of the immigration system and pointed to changes made since 2016, including more support for vulnerable people, but did not say whether ministers would accept the call for a 28-day limit.

Labour says it would introduce a time limit if it won power. The Liberal Democrats and the SNP have both backed the committee's recommendation.
''')
LV_1240 = paras('''
12.40pm GMT

The Speaker has selected four amendments for this evening, including the one calling for a second referendum. Votes are expected from 5pm.
''')
LV_1720 = paras('''
5.20pm GMT

The amendment calling for a second referendum has been defeated by 334 votes to 85. Most Labour MPs abstained, in line with the party's instructions.
''')
LV_1810 = paras('''
6.10pm GMT

MPs have voted by 412 to 202 in favour of the government motion to seek an extension to Article 50. The prime minister will now ask EU leaders for a delay at next week's summit in Brussels. Whether it is short or long will depend on whether her deal can be passed in a third vote next week.
''')
LV_SUMMARY = paras('''
Summary

MPs voted by 412 to 202 to ask the EU for a delay to Brexit. An amendment calling for a second referendum was heavily defeated. The Home Affairs Committee called for a 28-day limit on immigration detention, and the Home Office defended its record. More than 1,800 headteachers wrote to parents about school funding.
''')
g = "live-beacon"
LV_URL = "https://www.dailybeacon.example/politics/live/2019/mar/14/brexit-extension-vote-politics-live"
rec("live-beacon-00", "The Daily Beacon", LV_URL,
    "Politics live: MPs to vote on delaying Brexit – latest updates",
    LV_1050 + LV_1020 + LV_0915 + LV_0830 + LV_WELCOME, "2019-03-14T10:55:00+00:00", g, "original",
    "Live page, newest item first: five short items, one of which (10.20am) carries paragraphs 1-2 of "
    "detention-lns verbatim with a heading and one own sentence. Separate group from detention-lns.")

rec("live-beacon-01", "The Daily Beacon", LV_URL,
    "Politics live: MPs to vote on delaying Brexit – latest updates",
    LV_1315 + LV_1240 + LV_1050 + LV_1020 + LV_0915 + LV_0830 + LV_WELCOME, "2019-03-14T13:20:00+00:00", g,
    "revision",
    "Revision at the same url: two new items added at the top (Speaker's selection, Home Office response).")

rec("live-beacon-02", "The Daily Beacon", LV_URL,
    "Politics live: MPs vote to seek Brexit delay – as it happened",
    LV_SUMMARY + LV_1810 + LV_1720 + LV_1315 + LV_1240 + LV_1050 + LV_1020 + LV_0915 + LV_0830 + LV_WELCOME,
    "2019-03-14T18:30:00+00:00", g, "revision",
    "Revision at the same url: evening results and a summary added at the top, headline changed.")


# ===========================================================================
# G12  feature-chronicle: long feature (1,000+ words) that quotes paragraphs 4, 6
#      and 9 of charter-mna verbatim.  Separate group.
# ===========================================================================
FT_A = paras('''
The phone rang at 11.52pm. Marcia Bennett knows the time because she had been staring at the screen for most of the evening, willing it to light up, and because she has since gone back to the call log so many times that the numbers have lodged in her memory like a date of birth.

On the other end was her younger brother, Andre. He was sitting on a coach in a car park at Stansted, one of a few dozen men who had been driven there from removal centres around London that evening to be put on a charter flight to Jamaica. A guard had just told him to get off.

"He said, 'Marcia, they're taking me back.' And I thought he meant back to Jamaica," she says. "It took me a minute to understand he meant back to Harmondsworth. I just sat on the stairs and cried."

A month later, Andre Bennett is still in Harmondsworth, and his family are still waiting. The Home Office has told his solicitors it intends to remove him "at the earliest opportunity". Nobody can tell them when that will be.

The flight that left without him on the morning of 6 February was the first deportation charter to Jamaica since the Windrush scandal, and it came at a moment when the government's relationship with Britain's Caribbean communities could hardly have been more fragile. For many families in south London, Birmingham and Manchester, it felt like a test of whether anything had really changed.

It also became, briefly, a story about a phone mast. The news agency report filed that morning explained why Andre and dozens of others had been taken off the coach, and Marcia has read it so often that she can almost recite it:
''')
FT_B = paras('''
"That one's me," she says, tapping the middle paragraph on her phone. "I don't even remember saying it. I remember a reporter ringing at about two in the morning and I just talked."

Andre came to London in 1990, when he was six, to live with his mother and with Marcia, who is four years older and had arrived the year before. He went to primary school in Thornton Heath and secondary school in Norbury. He never applied for British citizenship, and nobody in the family thought he needed to: his mother had indefinite leave to remain and assumed that it covered her children. It did not.

At 27 he was convicted of possessing cocaine with intent to supply and sentenced to three years. He served half. Under the law passed in 2007, a foreign national sentenced to a year or more in prison must normally be considered for deportation, and an order was signed while he was still inside.

His appeal, argued on the strength of his family life in Britain, was dismissed in 2014. Since then he has reported every month to a Home Office building in Croydon, taken cash-in-hand work when he could find it and, his sister says, tried hard to be the kind of father his daughters could be proud of.

"He takes them to school. He goes to parents' evenings. He's the one who does their hair on a Sunday night," she says. "People hear 'foreign criminal' and they picture somebody else. He's a dad from Croydon with a conviction from when he was young and stupid."

The Home Office does not see it that way. Its position, restated after every charter flight, is that people convicted of serious crimes who are not British citizens should expect to be removed, and that the courts have had ample opportunity to weigh their family circumstances. Officials point out that everyone on a flight has had the chance to appeal, often more than once.

Those who work with detainees say the picture is more complicated. Patricia Nwosu, who runs a support group in Brixton for families of people facing deportation to the Caribbean, says many of the people she meets were brought to Britain as children and lost track of their status when a parent's papers lapsed or were never sorted out. "There is a generation of young men who are, in every sense that matters, British," she says. "They have British accents, British children, British friends. Then one day they make a bad decision and discover that they are Jamaican."

She says the Windrush scandal, which exposed how many long-term residents lacked paperwork, has left families more frightened rather than less. "After Windrush, people assumed the Home Office would be more careful. What they have seen instead is business as usual, just with more apologies."

Jamaica, for Andre, is an abstraction. He has an aunt in Spanish Town to whom he has spoken twice in his life. He does not know how he would find work, or where he would sleep on his first night. Men who have been deported describe being met at the airport, handed a small sum of money and left to fend for themselves, and some say they have been targeted because they are seen as outsiders who must have brought money with them.

His daughters, who are 12 and 14, know that their father is "away" but not, their aunt says, quite how far he may be going. The older girl has started to ask questions. A teacher has told Marcia that she has stopped handing in homework.

The legal position is bleak. Brickfield Law, which took on his case in January, has lodged a fresh claim based on the children's best interests, but his solicitors accept that it faces long odds. The phone-mast ruling bought him time; it did not change the outcome.

Visits to Harmondsworth take place in a large room of plastic chairs, under the eye of officers. Marcia goes twice a week, straight from her shift at a care home in Purley. She brings crisps and fizzy drinks from the vending machine, and news of the girls, and tries not to talk about the flight.

"He asked me last week whether I'd go with him if they sent him," she says. "I said, 'Andre, I've got a mortgage and a job and your nieces to look after. I can't go to Jamaica.' And he said, 'Neither can I.'"

She laughs, then stops. "That's the thing nobody understands. He doesn't mean he doesn't want to. He means he can't. He doesn't know how. He's never been."

Outside the visits hall, planes from Heathrow pass low overhead every couple of minutes. Marcia used to find the noise comforting, she says, a reminder that London was a place people came to. Now she counts them.
''')
g = "feature-chronicle"
rec("feature-chronicle-00", "The Sunday Chronicle",
    "https://www.sundaychronicle.example/magazine/2019/mar/10/jamaica-deportation-flight-family-harmondsworth",
    "'They're taking me back': one family's month on the edge of deportation",
    FT_A + [CH[3], CH[5], CH[8]] + FT_B, "2019-03-10T06:00:00+00:00", g, "original",
    "Long feature (~1,350 words) that quotes paragraphs 4, 6 and 9 of charter-mna verbatim (~200 words) in the "
    "middle; everything else is its own reporting. Separate group from charter-mna.")


# ===========================================================================
# G13  gvn-release: charity press release, republished almost verbatim by three
#      small sites, each with its own intro.
# ===========================================================================
GV = paras('''
EMBARGOED: 00:01 Tuesday 21 May 2019

Four in ten people held in immigration detention have no legal representation, according to a survey of more than 300 detainees published today by the Gateway Visitors Network.

The survey, carried out by volunteer visitors at six immigration removal centres between October 2018 and March 2019, found that 41 per cent of the 318 people questioned had no lawyer when they were interviewed. Of those who did, almost half said they had waited more than a month for a first appointment.

People in detention are entitled to a free 30-minute advice session at legal surgeries held in each centre, but visitors reported waiting lists of up to three weeks at some sites, and many detainees said nobody had told them how to book one.

The report, Cut Off, also found that 58 per cent of respondents had been detained for more than a month, and that one in five had been moved between centres at least once, often losing contact with their legal representatives as a result.

Rosalind Achebe, coordinator of the Gateway Visitors Network, said: "Every week our volunteers meet people who are facing removal from the UK and have never spoken to a lawyer about their case. Many do not speak English as a first language and have no way of understanding the decisions being made about them. Access to justice should not depend on luck, or on which centre you happen to be held in."

One former detainee, who spent four months at Brook House in 2018, told visitors: "I asked for a lawyer on my first day. I saw one after five weeks, for half an hour, and he said my case was too complicated for the surgery. After that, nothing."

The network is calling on the Home Office and the Legal Aid Agency to guarantee that every detainee sees a lawyer within 72 hours of arriving in a centre, to stop moving people between centres while they have a case in progress, and to publish waiting times for legal surgeries.

Notes to editors

1. The Gateway Visitors Network links 14 local groups whose volunteers visit people held in immigration removal centres and short-term holding facilities across England and Scotland.

2. Cut Off: Access to Legal Advice in Immigration Detention is available on the network's website from 00:01 on 21 May. Case studies and spokespeople are available on request.

ENDS
''')
assert len(GV) == 12
BODY = GV[1:8]
g = "gvn-release"
rec("gvn-release-00", "Gateway Visitors Network",
    "https://gatewayvisitors.example/news/press-release-cut-off-legal-advice-detention-survey",
    "Press release: Four in ten people in immigration detention have no lawyer, visitors' survey finds",
    GV, "2019-05-21T00:01:00+01:00", g, "original",
    "Charity press release (embargo line, 7 body paragraphs, notes to editors, ENDS).")

rec("gvn-release-01", "Sheffield Community Voice",
    "https://sheffieldcommunityvoice.example/2019/05/21/national-report-legal-advice-immigration-detention",
    "Sheffield visitors contribute to national report on detainees' access to lawyers",
    ["Volunteers from Sheffield's Open Gate group, who visit people held at Morton Hall in Lincolnshire, "
     "contributed to a new national report on legal advice in immigration detention. The network behind it "
     "published the following announcement:"] + BODY,
    "2019-05-21T10:15:00+01:00", g, "syndicated",
    "Small site: own intro paragraph, release body verbatim; embargo line, notes and ENDS dropped.")

rec("gvn-release-02", "Faith in Action Bulletin",
    "https://faithinaction.example/bulletin/2019-05-22-gateway-visitors-cut-off-report",
    "Cut Off: new report on legal advice in detention",
    ["We are pleased to share this press release from the Gateway Visitors Network, which several of our member "
     "churches support through their visiting schemes. Please keep those in detention in your prayers this "
     "week."] + sub(BODY, "published today by", "published on 21 May by") + GV[9:11],
    "2019-05-22T09:00:00+01:00", g, "syndicated",
    "Small site: own intro, release body verbatim except 'today' -> 'on 21 May'; numbered notes kept "
    "(heading, embargo line and ENDS dropped).")

rec("gvn-release-03", "Bedfordshire Now",
    "https://bedfordshirenow.example/news/four-in-ten-detainees-have-no-lawyer-survey-yarls-wood-visitors",
    "Four in ten detainees have no lawyer, survey by visitors finds",
    ["Volunteers who visit women held at Yarl's Wood near Bedford took part in a survey that has found that "
     "four in ten people in immigration detention have no lawyer."] +
    restyle(BODY, [("published today by", "published on Tuesday by"), ("41 per cent", "41%"),
                   ("58 per cent", "58%")]),
    "2019-05-21T14:40:00+01:00", g, "syndicated",
    "Small site: own intro, release body with 'today' -> 'on Tuesday' and 'per cent' -> '%'.")


# ===========================================================================
# G14  flood-lns: non-immigration distractor wire story with two republications.
# ===========================================================================
FL = paras('''
Dozens of homes and businesses in west Wales have been flooded after Storm Callum brought more than a month's rain in little over a day, pushing the River Teifi to levels not seen for decades.

Parts of Carmarthen, Llandysul and Newcastle Emlyn were under water on Saturday, and firefighters used boats to rescue residents from properties in the worst-hit streets.

Natural Resources Wales issued two severe flood warnings, meaning a danger to life, and dozens of lesser warnings across the country. Roads were closed across Carmarthenshire and Ceredigion, and trains between Swansea and Carmarthen were suspended.

Eirlys Protheroe, who runs a cafe in Newcastle Emlyn, said: "We've had floods before, but nothing like this. The water came up through the floor in about twenty minutes. We managed to get the till and the coffee machine upstairs and that was it."

Carmarthenshire County Council opened rest centres in two leisure centres and urged people not to drive through flood water. A council spokesman said teams would work through the night to clear drains and check on vulnerable residents.

The Met Office said the worst of the rain had passed but that strong winds would continue into Sunday, with gusts of up to 70mph possible on exposed coasts.

Insurers said they expected claims to run into millions of pounds, and advised residents to photograph any damage before starting to clear up.
''')
g = "flood-lns"
rec("flood-lns-00", "Lantern News Service",
    "https://lantern-news.example/wire/2018/10/13/lns-20181013-0142-storm-callum-west-wales-flooding",
    "Storm Callum: homes flooded in west Wales as rivers burst their banks",
    FL, "2018-10-13T17:30:00+01:00", g, "original",
    "Distractor (weather). Agency original.")

rec("flood-lns-01", "Cardigan Bay Chronicle",
    "https://www.cardiganbaychronicle.example/news/storm-callum-teifi-valley-flooding-4410",
    "Teifi valley counts the cost as Storm Callum floods homes",
    ["Traders in the Teifi valley were counting the cost on Saturday night after the river burst its banks "
     "for the second time in five years."] + FL,
    "2018-10-13T20:45:00+01:00", g, "syndicated",
    "Distractor copy: local top paragraph added, full wire text.")

rec("flood-lns-02", "NewsPulse UK",
    "https://newspulse.example/uk/storm-callum-west-wales-flooding",
    "Storm Callum floods homes in west Wales",
    curly(FL[:4]), "2018-10-13T17:42:00+01:00", g, "syndicated",
    "Distractor copy: aggregator, first 4 paragraphs, curly quotes.")


# ===========================================================================
# G15  library-gazette: lone local distractor.
# ===========================================================================
LB = paras('''
Ashcombe's central library has reopened after a £1.2 million refurbishment that has turned the Victorian building into what the council calls a "community hub", with a café, a business centre and space for the town's register office.

The library closed last November so that the work could be carried out. Its lending collection has been reduced by about a fifth to make room for a children's area on the ground floor and a row of bookable study rooms upstairs, a change that some regular users opposed when the plans were first published.

Councillor Ruth Penberthy, the cabinet member for communities, said the building had been "under-used and falling apart" before the works. "Libraries have to earn their place in town centres now," she said. "This one will be open longer, it will be busier and it will do more."

Opening hours have been extended to 8pm on weekdays, and the building will open on Sunday afternoons for the first time. Twelve new computers have been installed, and volunteers from the Ashcombe Digital Champions scheme will run free drop-in sessions for people who want help getting online.

Maureen Tilley, who chairs the Friends of Ashcombe Library, said members were pleased with the result but would keep a close eye on the book stock. "We fought for this building to stay open, and we're delighted it has. But a library without books is just a café with wifi," she said.

The formal reopening will take place on Saturday, when the children's author Nell Garside will read from her new book at 11am.
''')
rec("library-gazette-00", "Ashcombe Gazette",
    "https://www.ashcombegazette.example/news/ashcombe-library-reopens-community-hub-3188",
    "Ashcombe library reopens as community hub after £1.2m revamp",
    LB, "2018-11-03T09:00:00+00:00", "library-gazette", "original",
    "Distractor: lone local story on an unrelated topic (same outlet as hotline-mna-02).")


def main(path):
    ids = [r["id"] for r in RECORDS]
    assert len(ids) == len(set(ids))
    with open(path, "w", encoding="utf-8") as f:
        for r in RECORDS:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
