"""Makes tests/data/dedup/copies.jsonl: the texts are written by hand here; the copies
are scripted variants of them (headlines, trims, inserted paragraphs, house style)."""
import json, re, sys

RECORDS = []


def paras(s):
    return [p.strip().replace("\n", " ") for p in s.strip().split("\n\n") if p.strip()]


def sub(ps, old, new, count=None):
    """Replace in a list of paragraphs; require at least one hit."""
    joined = "\n\n".join(ps)
    n = joined.count(old)
    assert n > 0, ("missing", old)
    if count is not None:
        assert n == count, (old, n)
    return joined.replace(old, new).split("\n\n")


def curly(text):
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


def rec(id, outlet, url, title, ps, published, group, kind, notes):
    text = "\n\n".join(ps) if isinstance(ps, list) else ps
    RECORDS.append(dict(id=id, outlet=outlet, url=url, title=title, text=text,
                        published=published, group=group, kind=kind, notes=notes))


# ---------------------------------------------------------------------------
# G1  hotline-cpw: PA-style wire story, republished by six outlets
# ---------------------------------------------------------------------------
G1 = paras('''
Charities and campaign groups have called on MPs to stop passing constituents' details to the Home Office's immigration enforcement hotline, warning that the practice is frightening vulnerable people away from the politicians who are supposed to represent them.

A coalition of 23 organisations has written to every member of the House of Commons asking them to sign a pledge, under the banner "MPs not border guards", promising never to report people who come to them for help. The letter says that constituents with insecure immigration status often approach their MP as a last resort, and that few of them realise that asking for help could end with their details being handed to enforcement officers.

Figures released in a written parliamentary answer show that MPs and their staff contacted the hotline 723 times between September 2012 and May 2018, including 68 times in 2017 alone. The line is also used by members of the public to pass on information about people they suspect of immigration offences. The Home Office said it does not record how many of the referrals from MPs' offices led to arrests, detention or removal.

Hannah Okafor, director of the Migrant Advice Collective, which co-ordinated the letter, said: "People come to their MP because they have nowhere else to turn. They might have been wrongly refused a visa, lost their job because of a paperwork error or been told they are not entitled to NHS treatment. The last thing they expect is for that visit to be used against them. An MP's surgery should be a place of safety, not an extension of the border."

The campaign follows the Windrush scandal, in which people who had arrived legally from Commonwealth countries before 1973 were wrongly treated as illegal immigrants. Some lost their jobs and homes or were refused medical care, and a number were detained or removed from the country. Many of the cases came to light only after constituents took their problems to their MP.

Campaigners say that the referrals are at odds with the role MPs are expected to play as advocates for everyone who lives in their constituency, whether or not they have the right to vote. "Most MPs would be horrified to find out that someone in their office had reported a constituent," said Gareth Pryce, policy officer at the Sanctuary Justice Network. "We are asking them to make a simple public promise that anyone who walks through their door will be treated as a person who needs help, not as a suspect."

The coalition has also written to Home Secretary Sajid Javid, who commissioned an independent lessons learned review after the Windrush scandal, asking him to issue guidance making clear that MPs and their caseworkers are under no obligation to share information with Immigration Enforcement.

So far 17 MPs from four parties have signed the pledge, less than 3 per cent of the Commons, the organisers said. Several of them represent constituencies with large migrant communities and have said they were not aware that colleagues used the hotline.

A Home Office spokesman said: "MPs play an important role in supporting constituents with immigration queries and we work closely with them to resolve cases. It is a matter for individual MPs what information they choose to share with the department. Any information we receive about potential immigration offences is assessed and acted on where appropriate."

The department added that its Windrush taskforce had helped thousands of people to obtain documents confirming their right to live in the UK since it was set up in April, and that MPs had a dedicated enquiry line for urgent cases.

Ms Okafor said the coalition would publish the names of MPs who had signed the pledge before Christmas and urged voters to ask their representatives where they stood. "This is not about party politics," she said. "It is about whether people can trust the person they elected to stand up for them."

Separate figures released earlier this year showed that the enforcement hotline receives tens of thousands of tip-offs every year from members of the public, the majority of which never lead to any action being taken.
''')
assert len(G1) == 12
g = "hotline-cpw"
rec("hotline-cpw-00", "Central Press Wire",
    "https://wire.centralpress.co.uk/stories/2018/10/19/cpw-0412-mps-urged-stop-immigration-hotline-referrals",
    "Charities urge MPs to stop reporting constituents to immigration enforcement",
    G1, "2018-10-19T00:01:00+01:00", g, "original",
    "Wire original (12 paragraphs). Figures: 68 calls in 2017, 723 Sept 2012-May 2018; 'MPs not border guards' pledge.")

v = sub(G1, "Home Secretary Sajid Javid,", "the Home Secretary, Sajid Javid,", 1)
v = sub(v, "3 per cent", "3%", 1)
rec("hotline-cpw-01", "Northgate Evening Echo",
    "https://www.northgateecho.co.uk/news/uk-news/mps-urged-to-sign-not-border-guards-pledge-over-immigration-tip-offs-2291847",
    "MPs urged to sign 'not border guards' pledge over immigration tip-offs",
    v, "2018-10-19T06:30:00+01:00", g, "syndicated",
    "Full wire text; house style only: 'the Home Secretary, Sajid Javid,' and 'per cent' -> '%'. New headline.")

local = ("Refugee support workers in Gloucestershire say they have met families who are too frightened to go to "
         "their MP for help, as a national campaign calls on politicians to stop reporting constituents to "
         "immigration officials.")
rec("hotline-cpw-02", "Severn Valley Herald",
    "https://www.severnvalleyherald.co.uk/news/national/county-refugee-groups-back-campaign-to-stop-mps-reporting-migrants-118342",
    "County refugee groups back campaign to stop MPs reporting migrants",
    [local] + G1[:9], "2018-10-19T07:15:00+01:00", g, "syndicated",
    "Local top paragraph added; wire paragraphs 1-9 kept, last 3 cut.")

inserted = ('In Glasgow, which houses more people seeking asylum than any other local authority in the UK, advice '
            'workers said the figures confirmed what they had been hearing for years. Fiona McLeish, who runs a weekly '
            'drop-in for new arrivals on the city\'s south side, said: "We have people who will not go near a '
            'politician\'s office because they have heard stories about someone being picked up afterwards. Whether '
            'those stories are true or not, the fear is real, and it means problems go unsolved until they become '
            'emergencies."')
rec("hotline-cpw-03", "Clydeside Courier",
    "https://www.clydesidecourier.com/news/scotland/glasgow-advice-workers-back-call-for-mps-to-stop-immigration-referrals-77120",
    "Glasgow advice workers back call for MPs to stop immigration referrals",
    G1[:6] + [inserted] + G1[6:], "2018-10-19T08:02:00+01:00", g, "syndicated",
    "Full wire text with one inserted paragraph of local (Glasgow) reaction after paragraph 6.")

v = sub(G1, "Figures released in a written parliamentary answer show that MPs and their staff contacted the hotline "
            "723 times between September 2012 and May 2018, including 68 times in 2017 alone.",
        "MPs' offices rang the hotline 723 times between September 2012 and May 2018, and 68 of those calls were "
        "made in 2017, according to figures given in answer to a parliamentary question.", 1)
rec("hotline-cpw-04", "Thameside Gazette",
    "https://www.thamesidegazette.co.uk/news/campaigners-call-on-mps-to-end-immigration-hotline-referrals-1-5530921",
    "Campaigners call on MPs to end immigration hotline referrals",
    v[:10], "2018-10-19T09:40:00+01:00", g, "syndicated",
    "One sentence (first of paragraph 3) rewritten; last 2 paragraphs cut.")

rec("hotline-cpw-05", "UK News Now",
    "https://uknewsnow.co.uk/article/mps-told-stop-reporting-constituents-to-the-home-office",
    "MPs told: stop reporting constituents to the Home Office",
    curly("\n\n".join(G1[:4])), "2018-10-19T00:20:00+01:00", g, "syndicated",
    "Very short aggregator copy: first 4 paragraphs only; typographic (curly) quotes.")

v = sub(G1, "A coalition of 23 organisations", "A coalition of twenty-three organisations", 1)
v = sub(v, "including 68 times in 2017", "including sixty-eight times in 2017", 1)
v = sub(v, "So far 17 MPs", "So far seventeen MPs", 1)
v = sub(v, "less than 3 per cent", "less than three per cent", 1)
v = sub(v, "Home Secretary Sajid Javid,", "the Home Secretary, Sajid Javid,", 1)
rec("hotline-cpw-06", "The Daily Ledger",
    "https://www.dailyledger.co.uk/news/politics/dont-shop-migrants-to-home-office-charities-tell-mps-a3981120",
    "Don't shop migrants to the Home Office, charities tell MPs",
    v[:8], "2018-10-19T21:10:00+01:00", g, "syndicated",
    "House style: small numbers spelt out (twenty-three, sixty-eight, seventeen, three per cent), "
    "'the Home Secretary, Sajid Javid,'; last 4 paragraphs cut (incl. Home Office response).")

# ---------------------------------------------------------------------------
# G2  hotline-albion: independent wire story on the same event (hard negative)
# ---------------------------------------------------------------------------
G2 = paras('''
MPs should promise never to hand constituents over to immigration officials, a group of charities has said, after it emerged that politicians' offices made hundreds of tip-offs to the Home Office in less than six years.

A parliamentary answer shows that MPs or their caseworkers contacted the Immigration Enforcement allegations line 723 times between September 2012 and May 2018. There were 68 such contacts in 2017.

The 23 groups behind the "MPs not border guards" campaign say people whose status is uncertain are being deterred from seeking help with problems such as homelessness, unpaid wages and lost documents because they fear being reported.

Their open letter, sent to all 650 MPs on Friday, asks each of them to state publicly that they will not refer anyone who contacts their office to enforcement teams.

Hannah Okafor, of the Migrant Advice Collective, said: "People come to their MP because they have nowhere else to turn. The last thing they expect is for that visit to be used against them."

She said some of the people the coalition supports had been detained after seeking help from an elected representative, but declined to give details of individual cases because of the risk of identifying them.

Constituency caseworkers are understood to have used the line where they believed a person was living in the UK without permission, in some cases after the constituent had disclosed their status while asking for help with housing or benefits.

The campaign argues that this cannot be squared with the duty MPs owe to everyone living in their area, regardless of nationality or whether they appear on the electoral roll.

Scrutiny of the Home Office has intensified since the Windrush scandal, which led to the resignation of Amber Rudd as home secretary in April. Her successor, Sajid Javid, has said he prefers to talk about a "compliant environment" rather than a hostile one.

A Home Office spokesman said: "It is a matter for individual MPs what information they choose to share with the department. Any information we receive about potential immigration offences is assessed and acted on where appropriate."

The spokesman added that MPs could use a dedicated enquiry service to resolve constituents' immigration cases quickly, and that the department did not ask them to report anyone.

Organisers said 17 MPs had signed the pledge so far and that they hoped to have at least 100 names by the end of the year.
''')
assert len(G2) == 12
g = "hotline-albion"
rec("hotline-albion-00", "Albion News Agency",
    "https://www.albionnews.co.uk/wire/2018/10/19/charities-mps-immigration-tip-offs-an77351",
    "Stop reporting migrants who seek help, campaigners tell MPs",
    G2, "2018-10-19T00:01:00+01:00", g, "original",
    "Second, independently written wire story on the same event as hotline-cpw: same figures (68, 723), "
    "shares the Okafor and Home Office quotes in part. Must NOT be grouped with hotline-cpw.")

v = sub(G2, "sent to all 650 MPs on Friday", "sent to all 650 MPs yesterday", 1)
rec("hotline-albion-01", "Pennine Advertiser",
    "https://www.pennineadvertiser.co.uk/news/national/charities-tell-mps-dont-report-constituents-to-immigration-officials-4410927",
    "Charities tell MPs: don't report constituents to immigration officials",
    v, "2018-10-20T05:00:00+01:00", g, "syndicated",
    "Full text, next-day print version: 'on Friday' -> 'yesterday'.")

v = sub(G2, "as home secretary in April", "as Home Secretary in April", 1)
rec("hotline-albion-02", "Solent Daily Echo",
    "https://www.solentdailyecho.co.uk/news/hundreds-of-immigration-tip-offs-came-from-mps-offices-figures-show-16290544",
    "Hundreds of immigration tip-offs came from MPs' offices, figures show",
    v[:10], "2018-10-19T10:25:00+01:00", g, "syndicated",
    "Capitalisation house style ('Home Secretary'); last 2 paragraphs cut.")

local = ("A Carlisle advice charity has backed a national call for MPs to stop reporting constituents to immigration "
         "officials, saying that people in Cumbria with problems over their status are already among the hardest to reach.")
rec("hotline-albion-03", "Cumbria Weekly Standard",
    "https://www.cumbriaweeklystandard.co.uk/news/carlisle-charity-backs-call-on-mps-over-immigration-tip-offs-2207",
    "Carlisle charity backs call on MPs over immigration tip-offs",
    [local] + G2[:10], "2018-10-24T12:00:00+01:00", g, "syndicated",
    "Weekly paper: local top paragraph added, last 2 paragraphs cut.")

# ---------------------------------------------------------------------------
# G3  hotline-wpb: third wire story on the same event, case-study angle (hard negative)
# ---------------------------------------------------------------------------
G3 = paras('''
When Daniel went to his local MP's weekly surgery to ask for help with an eviction notice, he assumed the conversation would stay between him and the caseworker who took down his details. Three weeks later, he says, immigration officers knocked on his door.

Daniel, who asked for his real name not to be used, came to the UK from Nigeria as a student in 2009 and fell out of status after the college he was enrolled at lost its licence to sponsor overseas students. He was detained for a month before being released on immigration bail, and is still fighting to stay.

His account is one of several gathered by charities that are now asking MPs to sign a pledge never to report constituents to the Home Office. The campaign, called "MPs not border guards", is backed by 23 organisations working with migrants, refugees and people at risk of homelessness.

The Westminster Press Bureau has been unable to verify which office passed on Daniel's details, and the MP concerned did not respond to a request for comment.

Government figures given in a written answer in Parliament show the Home Office's immigration enforcement hotline logged 723 calls from MPs' offices between September 2012 and May 2018. In 2017 there were 68.

Hannah Okafor, who leads the Migrant Advice Collective, said: "An MP's surgery should be a place of safety, not an extension of the border. Every time someone is reported, word gets round, and dozens of others decide that it is not worth the risk of asking for help."

Gareth Pryce of the Sanctuary Justice Network said he believed most MPs were unaware of the practice. "Most MPs would be horrified to find out that someone in their office had reported a constituent," he said.

Some parliamentary staff say the picture is more complicated. A caseworker for a London MP, speaking on condition of anonymity, said colleagues occasionally contacted the Home Office about people who had admitted using false documents, and that there was no clear guidance on what to do in such cases. "Nobody trains you for this," she said. "You are left to make a judgment call, usually at the end of a long day."

A Home Office spokesman said: "It is a matter for individual MPs what information they choose to share with the department." The department did not say whether it would issue guidance to MPs' offices.

Daniel said he would not go back to an MP for help. "I went there because I thought that was what they were for," he said. "Now I tell people: sort it out yourself, or go to a charity. Don't go to the politicians."
''')
assert len(G3) == 10
g = "hotline-wpb"
rec("hotline-wpb-00", "Westminster Press Bureau",
    "https://wpb-newswire.co.uk/copy/2018-10-19/migrant-reported-after-mp-surgery-visit-wpb2231",
    "Migrant says he was reported to immigration officers after asking MP for help",
    G3, "2018-10-19T11:45:00+01:00", g, "original",
    "Third independent wire story on the hotline event (case-study angle). Shares Okafor 'place of safety' line, "
    "Pryce 'horrified' quote, Home Office line and figures with hotline-cpw. Separate group.")

v = sub(G3, "The Westminster Press Bureau has been unable to verify", "It has not been possible to verify", 1)
rec("hotline-wpb-01", "Humberside Evening Star",
    "https://www.humbersidestar.co.uk/news/national/i-asked-my-mp-for-help-then-immigration-officers-came-to-my-door-883201",
    "'I asked my MP for help - then immigration officers came to my door'",
    v, "2018-10-19T16:05:00+01:00", g, "syndicated",
    "Full text; agency self-reference in paragraph 4 reworded.")

v = G3[:7] + G3[8:9]
rec("hotline-wpb-02", "Malvern Hills Chronicle",
    "https://www.malvernhillschronicle.co.uk/news/migrant-says-he-was-reported-after-visiting-mps-surgery-30411",
    "Migrant says he was reported after visiting MP's surgery",
    v, "2018-10-20T08:30:00+01:00", g, "syndicated",
    "Middle paragraph (anonymous caseworker) cut and final paragraph cut.")

# ---------------------------------------------------------------------------
# G4  windrush-nottingham: outlet's own article with two later revisions (same url)
# ---------------------------------------------------------------------------
G4 = paras('''
A Nottingham grandmother who was held at an immigration removal centre for five days is among the people the Home Office now admits may have been wrongly detained as a result of the Windrush scandal, her family believes.

Beverley Campbell, 66, came to the UK from Jamaica in 1961 at the age of nine and has lived in the city ever since. In 2016 she was detained after attending what she had been told was a routine appointment to sort out her paperwork, and was warned that she could be removed to a country she had not seen for more than half a century.

She was released after her MP's office and a local law centre intervened, but says the experience has left her afraid to travel or to open letters from government departments.

Her daughter, Claudette Harris, said: "Mum worked for thirty years as a care assistant. She paid her taxes, she raised three children here, and they locked her up like a criminal. Nobody from the Home Office has ever picked up the phone to say sorry."

In a letter to the Home Affairs Committee published today, Home Secretary Sajid Javid said a review of historical cases had so far identified around 160 people who arrived before 1973 and may have been wrongly removed from the UK or detained.

Mr Javid said he would apologise personally to 18 people who the department believed were most likely to have suffered harm as a result of its actions.

Ms Harris said her mother had not been contacted and did not know whether she was on the list. "We read about it in the paper like everybody else," she said. "If they are serious about putting this right, they could start by telling people whether they are one of the ones they got wrong."

Nottingham has one of the largest Caribbean communities in the East Midlands, and local campaigners say they have been contacted by dozens of families since the scandal broke in the spring.

Desmond Akers, who chairs a Windrush support group that meets at a community centre in Hyson Green, said: "Every week someone new comes through the door with a story like Beverley's. Some of them have been living with this fear for years and never told their own children."

Anyone who thinks they may have been affected can contact the Home Office's Windrush helpline, which is free to call, or the support group, which meets on Wednesday afternoons.
''')
assert len(G4) == 10
g = "windrush-nottingham"
URL4 = "https://www.trentvalleypost.co.uk/news/local/windrush-grandmother-wrongly-detained-home-office-admits-1843211"
rec("windrush-nottingham-00", "Trent Valley Post", URL4,
    "Nottingham grandmother among Windrush generation wrongly detained, family says",
    G4, "2018-08-21T10:15:00+01:00", g, "original",
    "Local outlet's own article, first version ('around 160 people').")

v = sub(G4, "had so far identified around 160 people who arrived before 1973 and may have been wrongly removed from the UK or detained.",
        "had identified 164 people who arrived before 1973 and may have been wrongly removed from the UK or detained. Of those, 63 had been removed from the country.", 1)
ho = ('A Home Office spokeswoman said: "We are deeply sorry for the experiences of people from the Windrush generation who '
      'have been wrongly detained or removed. We are contacting everyone identified by the review and we would urge anyone '
      'who believes they have been affected to get in touch with the taskforce so that we can put things right." The '
      'department said it could not comment on individual cases.')
v = v[:7] + [ho] + v[7:]
rec("windrush-nottingham-01", "Trent Valley Post", URL4,
    "Nottingham grandmother among 164 Windrush cases Home Office admits may have been wrongly detained",
    v, "2018-08-21T15:40:00+01:00", g, "revision",
    "Revision 1: figure updated (around 160 -> 164, 63 removed), Home Office response paragraph added, headline updated.")
G4r1 = v

v = sub(G4r1, "Claudette Harris,", "Claudette Harrison,", 1)
v = sub(v, "Ms Harris said", "Ms Harrison said", 1)
v = v + ["This article was amended on 22 August 2018 to correct the spelling of Claudette Harrison's surname."]
rec("windrush-nottingham-02", "Trent Valley Post", URL4,
    "Nottingham grandmother among 164 Windrush cases Home Office admits may have been wrongly detained",
    v, "2018-08-22T09:05:00+01:00", g, "revision",
    "Revision 2: name corrected (Harris -> Harrison) and correction footnote appended.")

# ---------------------------------------------------------------------------
# G5  safevoices-release: press release reproduced nearly verbatim by two small outlets
# ---------------------------------------------------------------------------
G5 = paras('''
Two in three women with insecure immigration status who have experienced domestic abuse say they would not report it to the police because they fear being passed to immigration enforcement, according to a new survey published today by Safe Voices Network.

The survey of 212 women, carried out between June and September 2018 through refuges, advice services and community groups in the North West, Yorkshire and the West Midlands, found that 64 per cent would not call the police even if they were in immediate danger. More than four in ten said an abuser had threatened to report them to the Home Office as a way of controlling them.

Safe Voices Network is calling on the Home Secretary to introduce a clear separation, or "firewall", between the reporting of crime and immigration enforcement, so that victims and witnesses can come forward without fear that their details will be shared.

Dr Priya Ramanathan, chief executive of Safe Voices Network, said: "No woman should have to choose between staying with a violent partner and risking deportation. Yet that is exactly the calculation thousands of women are making every day. Abusers know it, and they use it. Until the government guarantees that the police will not pass victims' details to the Home Office, perpetrators will continue to act with impunity."

One woman who took part in the research, who arrived in the UK on a spousal visa, said: "He told me that if I called the police they would take my children and send me back. I believed him, because I did not know anything different. I stayed for four more years."

The report also found that many women were unaware of the support available to them, including the destitution domestic violence concession, which allows some victims on spousal visas to access benefits while they apply to remain in the UK.

The network's recommendations include national guidance for police forces, a dedicated fund for refuge spaces for women with no recourse to public funds, and training for frontline officers on the immigration rules that affect victims of abuse.

Dr Ramanathan added: "We welcome the commitments made by individual police forces, but a patchwork of local policies is not enough. Women need to know that wherever they live, the police are there to protect them."

Notes to editors: The full report, Silenced: Migrant Women, Abuse and the Fear of Reporting, is available on the Safe Voices Network website. Spokespeople and case studies are available for interview on request.

About Safe Voices Network: Safe Voices Network is a registered charity that supports women and children affected by domestic abuse in migrant and minority ethnic communities across the north of England and the Midlands. It runs advice lines in 11 languages and works with more than 40 partner organisations.
''')
assert len(G5) == 10
g = "safevoices-release"
rec("safevoices-release-00", "Safe Voices Network",
    "https://www.safevoicesnetwork.org.uk/news/press-release-two-in-three-migrant-women-afraid-to-report-abuse",
    "Press release: Two in three migrant women afraid to report abuse to police, survey finds",
    G5, "2018-11-27T00:01:00+00:00", g, "original",
    "Charity press release (the original of the group).")

v = sub(G5, "published today by Safe Voices Network", "published this week by Safe Voices Network", 1)
v = v[:8] + v[9:]
rec("safevoices-release-01", "Pendle Community Voice",
    "https://www.pendlecommunityvoice.co.uk/2018/11/28/two-in-three-migrant-women-afraid-to-report-abuse-to-police-survey-finds/",
    "Two in three migrant women afraid to report abuse to police, survey finds",
    v, "2018-11-28T14:12:00+00:00", g, "syndicated",
    "Small outlet reproducing the release nearly verbatim: 'today' -> 'this week', 'Notes to editors' dropped.")

v = sub(G5, "64 per cent", "64%", 1)
v = v[:9]
rec("safevoices-release-02", "Kirklees Local Bulletin",
    "https://kirkleeslocalbulletin.co.uk/news/survey-migrant-women-fear-reporting-abuse-to-police",
    "Survey: migrant women fear reporting abuse to police",
    v, "2018-11-27T09:30:00+00:00", g, "syndicated",
    "Small outlet reproducing the release nearly verbatim: 'per cent' -> '%', 'About' boilerplate dropped.")

# ---------------------------------------------------------------------------
# G6  refuge-leeds: outlet's own article quoting three paragraphs of the release (separate group)
# ---------------------------------------------------------------------------
G6 = paras('''
Women in Leeds who are trapped with abusive partners are staying silent because they fear that calling the police could lead to them being deported, the manager of one of the city's refuges has warned.

Speaking as a regional charity published research into the experiences of migrant women, Joanne Whitlock said her staff regularly supported women who had endured years of violence before seeking help, often because their partner had convinced them that they would be arrested and removed from the country.

"We had a woman last winter who had been told by her husband that the police worked for the Home Office," she said. "She only came to us because a neighbour called an ambulance. By then she had a broken wrist and had been living like that for six years."

Safe Voices Network, which works with refuges across the north of England and the Midlands, published its findings this week. In a statement, the charity said:

"The survey of 212 women, carried out between June and September 2018 through refuges, advice services and community groups in the North West, Yorkshire and the West Midlands, found that 64 per cent would not call the police even if they were in immediate danger. More than four in ten said an abuser had threatened to report them to the Home Office as a way of controlling them."

Its chief executive, Dr Priya Ramanathan, said: "No woman should have to choose between staying with a violent partner and risking deportation. Yet that is exactly the calculation thousands of women are making every day. Abusers know it, and they use it. Until the government guarantees that the police will not pass victims' details to the Home Office, perpetrators will continue to act with impunity."

The report quotes one woman who arrived in the UK on a spousal visa: "He told me that if I called the police they would take my children and send me back. I believed him, because I did not know anything different. I stayed for four more years."

Police forces in England and Wales do not follow a single national policy on sharing information about victims with immigration officials. Some have said they will not routinely check the status of people who report crimes, while others say they may contact the Home Office if they believe an offence has been committed.

A spokeswoman for the police in Leeds said: "Our first priority when anyone reports domestic abuse is their safety and that of their children. We would never want anyone to stay in a dangerous situation because of concerns about their immigration status, and we would encourage all victims to contact us or one of our partner agencies."

The Home Office said victims of domestic abuse should always come forward and that it was "committed to ensuring they receive the support they need". A spokesman said the department was looking at how information about victims is shared as part of its work on a forthcoming domestic abuse bill.

Ms Whitlock said the refuge had turned away three women with no recourse to public funds in the past year because it had no way of paying for their places. "We cannot take them unless someone pays, and usually no one will," she said. "So they go back."
''')
rec("refuge-leeds-00", "Aire Valley Mercury",
    "https://www.airevalleymercury.co.uk/news/crime/leeds-refuge-warns-abused-migrant-women-too-scared-to-call-police-2219034",
    "Leeds refuge warns abused migrant women are 'too scared to call police'",
    G6, "2018-11-28T18:20:00+00:00", "refuge-leeds", "original",
    "Outlet's own article built around quoting 3 paragraphs of the Safe Voices press release (survey paragraph, "
    "Ramanathan quote, survivor quote) plus own reporting. NOT a copy of safevoices-release.")

# ---------------------------------------------------------------------------
# G7  windrush-comp-cpw: wire story on the compensation consultation, five republications
# ---------------------------------------------------------------------------
G7 = paras('''
People from the Windrush generation who suffered because of Home Office mistakes are being asked to help design a compensation scheme, as the government launched a public consultation on how victims should be paid.

Home Secretary Sajid Javid said the scheme would cover people who lost jobs, homes or access to benefits and healthcare because they could not prove their right to be in the UK, as well as those who were wrongly detained or removed from the country.

The consultation seeks views on who should be eligible, which kinds of loss should be covered and how claims should be assessed and paid. It is open to anyone who has been affected, as well as to community organisations, lawyers and charities that have supported them.

The scheme is being designed with the help of Martin Forde QC, the independent adviser appointed by the Home Office in May, who has held meetings with affected people and community groups around the country.

Campaigners welcomed the consultation but warned that many people were still struggling to obtain documents and could not afford to wait months for money. Lorraine Baptiste, who runs a Windrush advice surgery in south London, said: "People have lost everything. Some of them are sleeping on relatives' sofas while they wait for the Home Office to decide whether they are who they say they are. A consultation is welcome, but it does not pay the rent."

The Home Office said its Windrush taskforce had so far helped more than 2,000 people to obtain documents confirming their status, and that hundreds more had been granted British citizenship free of charge.

Opposition MPs have called for hardship payments to be made immediately to those in the greatest need, arguing that some victims are elderly or in poor health and may not live to see the scheme completed.

The scandal emerged earlier this year after reports that long-term residents, many of whom had arrived as children on their parents' passports, had been wrongly classed as illegal immigrants. It led to the resignation of Amber Rudd as home secretary in April.

The consultation will run until the autumn, and the government has said it hopes to begin paying compensation as soon as possible after it closes.

A Home Office spokesman said: "The government is committed to righting the wrongs experienced by the Windrush generation. We want to hear from as many people as possible so that the scheme is fair, simple and reflects the losses people have suffered."
''')
assert len(G7) == 10
g = "windrush-comp-cpw"
rec("windrush-comp-cpw-00", "Central Press Wire",
    "https://wire.centralpress.co.uk/stories/2018/07/19/cpw-0877-windrush-compensation-consultation-launched",
    "Windrush generation asked to help design compensation scheme",
    G7, "2018-07-19T12:30:00+01:00", g, "original",
    "Wire original on the Windrush compensation consultation.")

v = sub(G7, "Home Secretary Sajid Javid said", "The Home Secretary, Sajid Javid, said", 1)
rec("windrush-comp-cpw-01", "Northgate Evening Echo",
    "https://www.northgateecho.co.uk/news/uk-news/windrush-victims-asked-to-help-shape-compensation-scheme-2240115",
    "Windrush victims asked to help shape compensation scheme",
    v, "2018-07-19T13:10:00+01:00", g, "syndicated",
    "Full text; 'The Home Secretary, Sajid Javid,' house style.")

local = ("Lambeth, home to one of the largest Caribbean communities in Britain, is expected to be among the areas most "
         "affected by a new Windrush compensation scheme, and local advice centres are urging residents to take part "
         "in a government consultation on how it should work.")
rec("windrush-comp-cpw-02", "Lambeth Weekly News",
    "https://www.lambethweeklynews.co.uk/news/lambeth-families-urged-to-have-their-say-on-windrush-compensation-5521",
    "Lambeth families urged to have their say on Windrush compensation",
    [local] + G7, "2018-07-20T09:00:00+01:00", g, "syndicated",
    "Local top paragraph added, otherwise full wire text.")

rec("windrush-comp-cpw-03", "Midlands Gazette",
    "https://www.midlandsgazette.co.uk/news/uk/consultation-on-windrush-compensation-launched-13390",
    "Consultation on Windrush compensation launched",
    G7[:7], "2018-07-19T14:45:00+01:00", g, "syndicated",
    "Last 3 paragraphs cut.")

v = sub(G7, "Campaigners welcomed the consultation but warned that many people were still struggling to obtain "
            "documents and could not afford to wait months for money.",
        "While the consultation was welcomed by campaigners, they cautioned that many of those affected still had no "
        "documents and were in no position to wait months for a payout.", 1)
rec("windrush-comp-cpw-04", "Solent Daily Echo",
    "https://www.solentdailyecho.co.uk/news/windrush-generation-consulted-on-payouts-16011823",
    "Windrush generation consulted on payouts",
    v[:9], "2018-07-19T15:20:00+01:00", g, "syndicated",
    "One sentence rewritten (start of paragraph 5); final Home Office quote cut.")

rec("windrush-comp-cpw-05", "UK News Now",
    "https://uknewsnow.co.uk/article/government-launches-windrush-compensation-consultation",
    "Government launches Windrush compensation consultation",
    curly("\n\n".join(G7[:6])), "2018-07-19T12:41:00+01:00", g, "syndicated",
    "Short aggregator copy: first 6 paragraphs, curly quotes.")

# ---------------------------------------------------------------------------
# G8  windrush-comp-ledger: independent article on the same consultation (hard negative to G7)
# ---------------------------------------------------------------------------
G8 = paras('''
Hubert Mills spent 47 years in Bristol before a letter from the Home Office told him he had no right to be in the country. Within a month he had lost his job as a school caretaker, and within a year he had lost his flat. Now the government wants to know how much it should pay him.

Mr Mills, 71, is one of thousands of people who could be eligible for a compensation scheme for the Windrush generation, details of which were put out to consultation on Thursday. He says he will take part, but that he has little faith in the department that caused his problems to put them right.

"They want me to fill in a form explaining what I lost," he said. "I lost my home, I lost my work, I lost my health. I could not go to my sister's funeral in Kingston because I was frightened they would not let me back in. Put a number on that."

The consultation asks who should qualify, which losses should be covered and how payments should be calculated. Sajid Javid, the Home Secretary, has said the scheme will cover people who were wrongly denied work, housing, benefits or healthcare, and those who were detained or removed.

The Home Office has appointed Martin Forde QC as an independent adviser on the design of the scheme. Officials have held meetings in London, Birmingham, Manchester and other cities with large Caribbean communities, but several people who attended said they were told little about when money might arrive.

Lawyers who have represented Windrush victims say the scheme must not repeat the mistakes that created the scandal, in particular by demanding documentary evidence that many people simply do not have. "The whole problem was that people were asked to prove decades of their lives with paperwork nobody had told them to keep," said one immigration solicitor in Birmingham. "If the compensation scheme works the same way, it will fail the same people."

The department says its Windrush taskforce has helped more than 2,000 people to obtain documents. Mr Mills received his biometric residence card in June, after the intervention of his MP, but says he is still waiting for the Department for Work and Pensions to restore benefits stopped in 2016.

A Home Office spokesman said: "The government is committed to righting the wrongs experienced by the Windrush generation. We want to hear from as many people as possible so that the scheme is fair, simple and reflects the losses people have suffered."

Mr Mills now lives with his daughter in Easton. He says the compensation matters less to him than an apology. "Someone should come here, sit in this room and say it to my face," he said. "Then we can talk about money."
''')
rec("windrush-comp-ledger-00", "The Daily Ledger",
    "https://www.dailyledger.co.uk/news/home-affairs/windrush-compensation-victims-say-scheme-must-not-repeat-mistakes-a3790014",
    "Windrush compensation: victims say scheme must not repeat Home Office mistakes",
    G8, "2018-07-19T19:30:00+01:00", "windrush-comp-ledger", "original",
    "Independently written feature on the same consultation as windrush-comp-cpw; shares the Home Office quote, "
    "Forde, the 2,000 figure. Separate group (hard negative).")

# ---------------------------------------------------------------------------
# G9  detention-albion: wire story with a writethrough (revision) and three republications
# ---------------------------------------------------------------------------
G9 = paras('''
The number of people held in immigration detention should continue to fall, the Home Secretary has said, as he announced a pilot scheme to support vulnerable women in the community instead of locking them up.

Sajid Javid told MPs that the Home Office would work with the UN refugee agency on the project, which will offer women who would otherwise be held at Yarl's Wood in Bedfordshire help with housing, legal advice and their immigration case.

The announcement came as the government published a follow-up report by Stephen Shaw, the former prisons and probation ombudsman, who was asked to assess the welfare of vulnerable people in detention after his first review in 2016.

Mr Shaw found that some progress had been made since his earlier report but that too many people were still being detained for long periods, and that the system for identifying people at particular risk of harm was not working as intended.

The UK is the only country in Europe that does not set a maximum period for which a person can be held in immigration detention, and campaigners have long called for a limit of 28 days.

Mr Javid did not commit to a time limit, but said he wanted detention to be used more sparingly and for shorter periods, and that he had asked officials to look at ways of speeding up decisions in cases involving vulnerable people.

Ruth Adeyemi, director of the charity Detention Watch UK, said: "Today's announcement is a small step in the right direction, but it does nothing for the thousands of people who will go to sleep tonight behind locked doors without knowing when they will be released. Until there is a time limit, the cruelty at the heart of this system will remain."

Home Office figures show that more than 25,000 people entered detention in the year to March 2018, and that more than half of those leaving detention were released back into the community rather than removed from the UK.

The Home Secretary also said the department would publish more information about the people it detains, including how many are considered to be vulnerable, and would review the way medical evidence of torture is handled.

A Home Office spokesman said: "Detention is an important part of our immigration system, but it must be used appropriately and with dignity. We have already made significant changes since Stephen Shaw's first report and we will go further."
''')
assert len(G9) == 10
g = "detention-albion"
URL9 = "https://www.albionnews.co.uk/wire/2018/07/24/javid-detention-pilot-shaw-review-an71209"
rec("detention-albion-00", "Albion News Agency", URL9,
    "Javid announces pilot to keep vulnerable women out of detention",
    G9, "2018-07-24T13:05:00+01:00", g, "original",
    "Wire original (first take).")

new_intro = ("The Home Secretary has announced a pilot scheme to support vulnerable women in the community instead of "
             "holding them in detention, as a government-commissioned review found that too many people were still "
             "being locked up for long periods.")
former = ('Joseph Mensah, who was held for 14 months at two removal centres before being granted leave to remain, said: '
          '"The worst part was not the locked doors. It was waking up every day not knowing whether you would be there '
          'for another week or another year. Nobody could tell me, not even the officers."')
G9r = [new_intro] + G9[1:7] + [former] + G9[7:]
rec("detention-albion-01", "Albion News Agency", URL9,
    "Javid announces detention pilot as review finds too many held for long periods",
    G9r, "2018-07-24T16:45:00+01:00", g, "revision",
    "Wire writethrough at the same url: new intro paragraph, added former-detainee quote, headline changed; rest unchanged.")

local = ("Campaigners in Bedfordshire have cautiously welcomed plans that could see some women who would otherwise be "
         "held at Yarl's Wood, near Milton Ernest, supported in the community instead.")
rec("detention-albion-02", "Bedfordshire Evening Courier",
    "https://www.bedfordshirecourier.co.uk/news/yarls-wood-women-could-be-supported-in-community-under-pilot-771045",
    "Yarl's Wood women could be supported in community under pilot",
    [local] + G9[:8], "2018-07-24T17:30:00+01:00", g, "syndicated",
    "From the first take: local top paragraph added, last 2 paragraphs cut.")

rec("detention-albion-03", "Pennine Advertiser",
    "https://www.pennineadvertiser.co.uk/news/national/javid-announces-detention-pilot-as-review-criticises-long-stays-4288310",
    "Javid announces detention pilot as review criticises long stays",
    G9r, "2018-07-25T05:00:00+01:00", g, "syndicated",
    "Republishes the writethrough (revision) text in full with its own headline.")

rec("detention-albion-04", "Clydeside Courier",
    "https://www.clydesidecourier.com/news/uk/home-office-to-pilot-alternatives-to-detention-for-vulnerable-women-75902",
    "Home Office to pilot alternatives to detention for vulnerable women",
    G9[:7], "2018-07-24T14:20:00+01:00", g, "syndicated",
    "From the first take: first 7 paragraphs only.")

# ---------------------------------------------------------------------------
# G10  nhs-data-wpb: wire story on NHS data-sharing climbdown, three republications
# ---------------------------------------------------------------------------
G10 = paras('''
The government has agreed to stop using NHS patient records to trace most people suspected of immigration offences, after sustained criticism from doctors, MPs and health charities.

Under a data-sharing agreement between NHS Digital and the Home Office, immigration officials had been able to request the last known address of patients they were trying to locate, including people who had overstayed their visas.

Ministers told the Commons that the arrangement would be narrowed with immediate effect, so that requests could only be made for people being considered for deportation after committing serious crimes.

The Home Office made around 8,000 requests for patient information in 2017, according to figures previously released by the department, and the information was used to trace thousands of people.

Doctors' leaders had warned that the agreement was deterring sick people from seeking treatment and undermining trust between patients and their GPs. The Commons health committee called for it to be suspended earlier this year, saying it had been drawn up without proper consideration of the risks to public health.

Mark Ellery, policy lead at the charity Health Access Now, said: "This is a welcome climbdown, but it should never have been allowed to happen. We have spoken to pregnant women who avoided antenatal care and people with serious infections who stayed away from their GP because they were afraid their address would be handed over. The damage to trust will take years to repair."

He called on the government to go further and review charges for NHS care for some migrants, which were extended last year to cover more community services.

A Home Office spokesman said: "We have listened to the concerns raised and have agreed to narrow the scope of the agreement. Data sharing between government departments remains an important tool in tackling serious crime and we will continue to use it appropriately."

The change comes weeks after the Windrush scandal prompted renewed scrutiny of the so-called hostile environment, a set of policies designed to make it harder for people without permission to be in the UK to work, rent a home or use public services.
''')
assert len(G10) == 9
g = "nhs-data-wpb"
rec("nhs-data-wpb-00", "Westminster Press Bureau",
    "https://wpb-newswire.co.uk/copy/2018-05-09/nhs-data-sharing-home-office-narrowed-wpb1874",
    "Government narrows use of NHS records to trace immigration offenders",
    G10, "2018-05-09T17:50:00+01:00", g, "original",
    "Wire original on the NHS Digital/Home Office data-sharing agreement.")

v = sub(G10, "The Commons health committee", "The House of Commons health and social care committee", 1)
rec("nhs-data-wpb-01", "Severn Valley Herald",
    "https://www.severnvalleyherald.co.uk/news/national/nhs-patient-data-will-no-longer-be-used-to-trace-most-migrants-109774",
    "NHS patient data will no longer be used to trace most migrants",
    v, "2018-05-09T19:05:00+01:00", g, "syndicated",
    "Full text; committee name expanded.")

rec("nhs-data-wpb-02", "Thameside Gazette",
    "https://www.thamesidegazette.co.uk/news/home-office-curbs-use-of-nhs-records-in-immigration-cases-1-5390017",
    "Home Office curbs use of NHS records in immigration cases",
    G10[:7], "2018-05-10T07:00:00+01:00", g, "syndicated",
    "Last 2 paragraphs cut.")

inserted = ('In Hull, a GP who runs a weekly clinic for asylum seekers said the decision would make a real difference. '
            '"I have had patients give me a false address, or no address at all, because they thought it would go straight '
            'to the Home Office," said Dr Naomi Petrie. "You cannot look after someone properly if they are too frightened '
            'to tell you where they live."')
rec("nhs-data-wpb-03", "Humberside Evening Star",
    "https://www.humbersidestar.co.uk/news/doctors-welcome-u-turn-on-sharing-patients-addresses-with-home-office-861552",
    "Doctors welcome U-turn on sharing patients' addresses with Home Office",
    G10[:6] + [inserted] + G10[6:], "2018-05-10T06:30:00+01:00", g, "syndicated",
    "Full text plus one inserted paragraph of local reaction (Hull GP) after paragraph 6.")

rec("nhs-data-wpb-04", "UK News Now",
    "https://uknewsnow.co.uk/article/government-narrows-use-of-nhs-records-to-trace-immigration-offenders",
    "Government narrows use of NHS records to trace immigration offenders",
    curly("\n\n".join(G10)), "2018-05-09T18:02:00+01:00", g, "syndicated",
    "Aggregator: verbatim text and same headline as the wire, curly quotes only.")

# ---------------------------------------------------------------------------
# G11  school-census-ledger: lone independent article (data sharing, different topic)
# ---------------------------------------------------------------------------
G11 = paras('''
Schools in England will no longer ask parents for their children's nationality and country of birth, the Department for Education has confirmed, ending a two-year controversy over fears that the information could be used for immigration enforcement.

The questions were added to the school census in 2016, shortly after it emerged that the department had agreed to share some pupil information, including names and home addresses, with the Home Office in cases where immigration officials were trying to trace families.

Ministers insisted at the time that nationality and country of birth data would be used only for research and planning and would never be passed to the Home Office. But head teachers reported that many parents were refusing to answer the questions, and some schools said they had been asked to see children's passports.

In a letter to schools, the department said the data would be removed from the census from the summer term and that information already collected would not be shared outside government.

The change does not affect the separate arrangement under which the Home Office can request the addresses of pupils from the National Pupil Database, which remains in place. Officials say such requests are rare and are made only when other attempts to locate a family have failed.

Parents who opposed the collection welcomed the decision but said it had come too late. "We were told there was nothing to worry about, and then we found out about the address sharing," said Sarah Lindqvist, a mother of two from north London who refused to complete the forms. "A lot of families still do not trust what they are told, and I cannot blame them."

Head teachers' organisations said the episode had damaged relationships between schools and some communities. One primary head in Birmingham said attendance at parents' evenings had fallen among families from eastern Europe after the questions were introduced, and had not fully recovered.

The Department for Education said it had listened to the concerns of schools and parents. A spokesman said: "We have always been clear that this data was collected for research purposes only. We have decided that we will no longer collect it."
''')
rec("school-census-ledger-00", "The Daily Ledger",
    "https://www.dailyledger.co.uk/news/education/schools-to-stop-asking-pupils-nationality-and-country-of-birth-a3710452",
    "Schools to stop asking pupils for nationality and country of birth",
    G11, "2018-04-10T15:00:00+01:00", "school-census-ledger", "original",
    "Lone independent article (data sharing, schools).")

# ---------------------------------------------------------------------------
# G12 / G13  larder-*: two different articles sharing a long 'About the charity' boilerplate
# ---------------------------------------------------------------------------
ABOUT = ("About the Larder Network: The Larder Network is a registered charity, founded in 2009, that supports more than "
         "140 community food banks, pantries and social supermarkets across the Midlands and the north of England. Last "
         "year, food banks in the network provided emergency food parcels to more than 190,000 people, over a third of "
         "them children. As well as food, the charity's partners offer debt and benefits advice, help with energy bills "
         "and referrals to local support services. The Larder Network receives no government funding and relies on "
         "donations from individuals, churches, schools and businesses. For more information, or to find your nearest "
         "food bank, visit the charity's website.")

G12 = paras('''
Food banks across the Midlands are bracing themselves for their busiest winter yet, with volunteers warning that shelves are already emptier than they were at this point last year.

The Larder Network, which supports community food banks across the region, said demand in October was up by almost a fifth on the same month in 2017, and that several of its partners had been forced to limit the number of parcels each family could receive.

Volunteers say the rise has been driven by delays to benefit payments, particularly among families moving on to Universal Credit, as well as by rising rents and the cost of heating homes as temperatures fall.

Ann Whitfield, who co-ordinates a food bank in a church hall in Walsall, said: "We are seeing people who have never needed help before. Last week it was a nurse and her husband, both working, who had simply run out of money before payday. She was in tears. We made her a cup of tea and told her there was nothing to be ashamed of."

The charity is asking supermarkets, schools and workplaces to hold collections in the run-up to Christmas, and has published a list of the items it most needs, including tinned meat, long-life milk, toiletries and nappies.

It is also appealing for volunteer drivers to collect donations from supermarkets and deliver parcels to people who cannot leave their homes.

''' + ABOUT)
rec("larder-winter-00", "Midlands Gazette",
    "https://www.midlandsgazette.co.uk/news/local/food-banks-brace-for-busiest-winter-yet-14022",
    "Food banks brace for busiest winter yet as demand rises by a fifth",
    G12, "2018-11-20T08:00:00+00:00", "larder-winter", "original",
    "Distractor. Shares the long 'About the Larder Network' boilerplate paragraph with larder-warehouse but is "
    "otherwise a different article (separate groups).")

G13 = paras('''
A new warehouse that will allow food banks across West Yorkshire to share donations and cut waste has been opened in Bradford.

The 12,000 sq ft building on an industrial estate in the south of the city was leased by the Larder Network with the help of a grant from a charitable trust and donations from local businesses, including the loan of two refrigerated vans.

It will act as a central store for surplus food collected from supermarkets and manufacturers, which will then be distributed to more than 30 food banks and community pantries in Bradford, Leeds, Kirklees and Calderdale.

Until now, the charity said, food banks in the area had largely worked on their own, meaning that some had more pasta and tinned tomatoes than they could give away while others a few miles away were running short.

Imran Bashir, the network's operations manager for Yorkshire, said: "This is about getting the right food to the right place at the right time. We know there is enough food out there. The problem has always been getting it to where it is needed before it goes out of date."

The warehouse was officially opened on Thursday by a group of volunteers who between them have given more than 5,000 hours to local food banks, and who were presented with certificates by the charity's trustees.

One of them, 78-year-old retired bus driver Ken Greenwood, has sorted donations at a food bank in Shipley every Tuesday for seven years. "I come for the company as much as anything," he said. "But you see the people who come in and you know it matters."

The charity hopes to open a similar hub in the Tees Valley next year.

''' + ABOUT)
rec("larder-warehouse-00", "Pennine Advertiser",
    "https://www.pennineadvertiser.co.uk/news/bradford/new-warehouse-to-help-food-banks-share-donations-opens-in-bradford-4301776",
    "New warehouse to help food banks share donations opens in Bradford",
    G13, "2018-09-14T11:30:00+01:00", "larder-warehouse", "original",
    "Distractor. Shares the 'About the Larder Network' boilerplate with larder-winter; otherwise different. Separate group.")

# ---------------------------------------------------------------------------
# G14  rail-cpw: non-immigration wire story, four republications
# ---------------------------------------------------------------------------
G14 = paras('''
Northern will remove up to 165 trains a day from its timetable from Monday in an attempt to end weeks of cancellations and delays that have left passengers across the north of England stranded.

The operator said the interim timetable, which will run until the end of July, would allow it to run a more reliable service while it trains more drivers on new routes introduced as part of last month's timetable change.

The May timetable overhaul, described by the rail industry as the biggest in a generation, was meant to add hundreds of extra services. Instead, it led to daily cancellations on Northern and on Thameslink and Great Northern services in the south-east, after late changes left operators without enough trained drivers.

Figures compiled by passenger groups suggest that on some days in the past fortnight more than one in ten Northern services was cancelled, with routes in Greater Manchester, Lancashire and the Lake District among the worst affected.

Transport Secretary Chris Grayling has announced an inquiry into what went wrong, led by the chairman of the Office of Rail and Road, and said passengers would receive compensation.

Commuters said the interim timetable at least offered some certainty. "I would rather know the train is not coming than stand on the platform for an hour hoping," said Carol Bennett, who travels from Blackburn to Manchester each day. "But we are paying more than ever for a service that is worse than it was five years ago."

Northern's managing director apologised to passengers and said the company was "absolutely focused" on restoring a full service as quickly as possible.

Business leaders in the north have warned that the disruption is costing the regional economy millions of pounds a week, and some MPs have called for Northern to be stripped of its franchise.

The Rail Delivery Group, which represents train operators, said the industry was working together to ensure that future timetable changes were properly planned.
''')
assert len(G14) == 9
g = "rail-cpw"
rec("rail-cpw-00", "Central Press Wire",
    "https://wire.centralpress.co.uk/stories/2018/06/01/cpw-0633-northern-interim-timetable-165-trains",
    "Northern to cut up to 165 trains a day in bid to end chaos",
    G14, "2018-06-01T14:10:00+01:00", g, "original",
    "Non-immigration distractor wire story.")

local = ("Passengers in east Lancashire will see fewer trains from Monday, as Northern removes services across its "
         "network in an effort to end weeks of disruption.")
rec("rail-cpw-01", "Pennine Advertiser",
    "https://www.pennineadvertiser.co.uk/news/transport/fewer-trains-for-east-lancashire-as-northern-cuts-services-4271904",
    "Fewer trains for east Lancashire as Northern cuts services",
    [local] + G14, "2018-06-01T16:00:00+01:00", g, "syndicated",
    "Local top paragraph added; full wire text.")

rec("rail-cpw-02", "Cumbria Weekly Standard",
    "https://www.cumbriaweeklystandard.co.uk/news/northern-timetable-cut-hits-lakes-line-2094",
    "Northern timetable cut hits Lakes line",
    G14[:7], "2018-06-06T12:00:00+01:00", g, "syndicated",
    "Last 2 paragraphs cut.")

v = sub(G14, "Transport Secretary Chris Grayling has", "The Transport Secretary, Chris Grayling, has", 1)
v = sub(v, "more than one in ten Northern services", "more than 10% of Northern services", 1)
rec("rail-cpw-03", "Northgate Evening Echo",
    "https://www.northgateecho.co.uk/news/uk-news/northern-to-cut-165-trains-a-day-2198830",
    "Northern to cut 165 trains a day until end of July",
    v, "2018-06-01T15:05:00+01:00", g, "syndicated",
    "House style: 'The Transport Secretary, Chris Grayling,'; 'one in ten' -> '10%'.")

rec("rail-cpw-04", "Thameside Gazette",
    "https://www.thamesidegazette.co.uk/news/thameslink-and-northern-chaos-interim-timetable-1-5487002",
    "Interim timetable as Northern tries to end weeks of chaos",
    G14[:5] + G14[6:], "2018-06-01T17:30:00+01:00", g, "syndicated",
    "Commuter quote paragraph cut from the middle; otherwise full text.")


def main(path):
    with open(path, "w", encoding="utf-8") as f:
        for r in RECORDS:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
