"""Synthetic news web for throughput benchmarks: many outlets, realistic pages, served from memory.

``build_site`` writes N article pages (30-120 KB of HTML each, 400-1,200 words of prose
in 8-25 paragraphs) across a few fictional outlets in five template families, with the
boilerplate real pages carry: navigation, cookie banner, most-read sidebar, related
lists, share tools, JSON-LD and analytics scripts, inline CSS. About 15% of the stories
are about UK immigration enforcement, the rest about politics, business, sport, weather,
courts and health; about 3% are syndicated copies of another outlet's story. Each outlet
has an RSS 2.0 feed of its 50 newest articles, a sitemap index with child sitemaps of at
most 500 URLs, section pages and a homepage; /robots.txt lists every sitemap.

``serve`` serves a built site from 127.0.0.1 in a background thread: pre-built bytes,
gzip computed at build time, HTTP/1.1 keep-alive, HEAD, ETag/Last-Modified revalidation.
``serve_fast`` serves it from a process of its own, one loopback address per outlet, for
benchmarks. Article HTML is origin-free (root-relative links and canonical), so it is built
and compressed once; robots.txt, feeds and sitemaps carry absolute URLs and are rendered
per origin (the Host a client asked for) the first time it is asked for.

    python -m newsmon.web.synthetic --pages 2000 --stats
    python -m newsmon.web.synthetic --pages 200 --serve [--port 8080]
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import sys
import threading
import time
import tomllib
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, formatdate, parsedate_to_datetime
from pathlib import Path
from typing import NamedTuple

import newsmon_data
from newsmon.web import listings
from newsmon.web.server import TEXT, FakeWeb, Request, Response

KB = 1024
MIN_PAGE, MAX_PAGE = 30 * KB, 120 * 1000  # the brief's bounds, read strictly either way
FEED_ITEMS = 50
SITEMAP_URLS = 500
DEFAULT_ORIGIN = "http://127.0.0.1"
_UTC = timezone.utc
_BST = timezone(timedelta(hours=1))
_HTML = "text/html; charset=utf-8"

# The <p> elements of each family's article body, and nothing else: what the tests count.
FAMILIES = ("classic", "divsoup", "sections", "magazine", "blocks")
BODY_XPATH = {
    "classic": '//div[@class="article-body"]/p',
    "divsoup": '//div[@id="story-content"]//div[@class="txt"]/p',
    "sections": '//main//section[@class="article__section"]/p',
    "magazine": '//div[contains(@class, "entry-content")]/p',
    "blocks": '//div[@data-component="text-block"]/p',
}

# --- word lists (written for this benchmark) ------------------------------------------------

FIRST_F = ("Amara Bethan Dana Eilidh Farah Grace Hannah Harriet Imogen Jasmine Joanna Leila Lucy Nadia "
           "Niamh Priya Rosa Sadia Tanvi Uzma Victoria Wendy Yasmin Zoe Bridget Deborah Esther Freya "
           "Gemma Ines Kirsty Mariam Olwen Shona").split()
FIRST_M = ("Aled Ben Callum Chidi Colm Delroy Fergus Gareth Idris Imran Kieran Kwame Malik Marcus Olu "
           "Owen Patrick Rhys Samir Tom Vikram Wesley Alastair Declan Ewan Femi Hamish Jonah Luca "
           "Rohan Stefan Tariq Yusuf").split()
SURNAMES = ("Abbott Adebayo Ashworth Bhatt Blackwood Brennan Carvalho Chaudhry Cole Davenport Drummond "
            "Eze Fairlie Fenwick Gallagher Gill Haddad Harcourt Iqbal Jardine Kaur Kowalski Lindqvist "
            "MacLeod Mensah Moreno Nakamura Ndlovu Oduya O'Hare Pemberton Quinn Rahman Rees Sandhu Sethi "
            "Stavros Thorne Underwood Varga Whitlock Yilmaz Zielinski Akintola Barraclough Cheung Dunmore "
            "Esposito Fitzgerald Greaves Hollis Ibekwe Jenner Kettering Lomax Mwangi Nairn Okoro Pryce "
            "Rashid Sorensen Tennant Vance Wolstenholme").split()
PLACES = ("Ashbridge Kellmoor Northfield Harwick Saltmere Ravensholm Tollmouth Glenarden Whitcombe "
          "Marrowby Penhallow Stowbridge Carnford Lydmere Oxhaven Fenbury Castlegate Hollinsby Wrenfield "
          "Brackenford Dunhallow Elmstead Corrington Sheldwick Oakhurst Harrowdale Threlby Aldermoor "
          "Kingsclere Bramholt").split()
OUTLET_NAMES = ("The Ashbridge Courier", "Kellmoor Evening Post", "Northfield Gazette", "The Daily Ledger",
                "Harwick Herald", "Saltmere Chronicle", "The National Observer", "Tollmouth Mercury",
                "Glenarden Times", "The Weekly Standard-Bearer", "Whitcombe Record", "Castlegate Echo")
MONTHS = ("January February March April May June July August September October November "
          "December").split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
SIDES = ("North", "South", "East", "West", "Central")

TOPIC_WEIGHTS = {"immigration": 15, "politics": 20, "business": 17, "sport": 16, "weather": 9,
                 "courts": 12, "health": 11}

# Per topic: its section, who acts and speaks, what is counted and argued about. Templates
# take {slots} filled by _Prose; a claim is a clause ("that ..." without the "that").
TOPICS = {
    "immigration": {
        "section": "UK news",
        "groups": ["MPs", "caseworkers", "campaigners", "charity workers", "asylum seekers",
                   "migrant workers", "immigration lawyers", "constituency staff", "community leaders",
                   "employers", "landlords", "volunteers"],
        "orgs": ["the Home Office", "Immigration Enforcement", "the Home Affairs Committee",
                 "Border Force", "the immigration enforcement hotline", "the Immigration Tribunal"],
        "local_orgs": ["{place} Refugee Trust", "{place} Law Centre", "the {place} Migrant Forum",
                       "Open Door {place}", "the Fair Status Campaign", "{place} Asylum Network",
                       "the Harbour Legal Project", "{place} Welcome Alliance"],
        "roles": ["chief executive of {lorg}", "the MP for {place} {side}", "a senior caseworker at {lorg}",
                  "an immigration barrister", "director of policy at {lorg}", "a former Home Office official",
                  "a volunteer with {lorg}", "a member of the Home Affairs Committee"],
        "counts": ["calls to the hotline", "referrals", "deportation orders", "visa applications",
                   "enforcement visits", "tip-offs", "removals", "appeals", "detention places",
                   "asylum claims", "letters from MPs", "casework inquiries", "reports from MPs' offices"],
        "issues": ["data sharing between MPs' offices and the Home Office", "the immigration enforcement hotline",
                   "the visa backlog", "the use of immigration detention",
                   "reporting constituents to immigration enforcement",
                   "the new visa rules", "deportation flights", "right-to-rent checks",
                   "the treatment of asylum seekers", "the hostile environment policy"],
        "claims": [
            "MPs' offices had passed details of {count} to the Home Office over {period}",
            "constituents were becoming afraid to ask their MP for help",
            "the hotline was being used to settle personal scores",
            "people with the right to remain had been wrongly referred to Immigration Enforcement",
            "{group} needed clearer guidance on when to share information",
            "no one should be reported to immigration enforcement for asking for help",
            "the number of referrals had risen sharply since {month}",
            "the department would review how information from MPs was handled",
            "victims of crime were being deterred from coming forward",
            "{count} had been referred in {place} alone",
            "the system relied on tip-offs that were rarely acted on",
            "only {pct} of calls to the hotline led to any enforcement action",
            "families had been left in limbo while their visa applications were processed",
            "enforcement visits in {place} had doubled in {period}",
            "the guidance given to constituency staff was out of date",
        ],
        "quotes": [
            "People should be able to ask their MP for help without fearing that they will be reported",
            "We have seen {count} in {period} and the picture is getting worse",
            "This is about trust, and at the moment that trust is being eroded",
            "We will continue to enforce the immigration rules fairly and firmly",
            "An MP's office is not an arm of Immigration Enforcement",
            "Every one of those {count} is a person with a family and a life here",
            "The hotline was never meant to be used in this way",
            "We are asking every MP to sign the pledge and to stop making referrals",
            "Caseworkers are put in an impossible position by the current guidance",
            "We take all information about immigration offences seriously",
        ],
        "events": ["figures showing {count} in {period}", "a letter from {lorg} to every MP in the region",
                   "an update to the Home Office's guidance for MPs' offices",
                   "the delivery of a pledge signed by {mps} MPs to the Home Secretary",
                   "the detention of a family in {place} during a dawn raid"],
        "sentences": [
            "A Home Office spokesperson said: \"{quote}.\"",
            "The pledge, drawn up by {lorg}, asks MPs not to share constituents' details with Immigration Enforcement.",
            "Figures obtained by {lorg} show that the hotline received {count} in {period}.",
            "{mps} MPs have so far signed the pledge, according to {lorg}.",
            "The Home Office said it did not comment on individual cases.",
            "Under current guidance, MPs' offices may pass information to the Home Office if they believe "
            "an offence has been committed.",
            "{lorg} said it had supported {count} in {period}, many of them referred by local GPs.",
            "The Home Affairs Committee is expected to question officials about {issue} in {month}.",
        ],
        "headlines": [
            "{place} MP's office reported {num} constituents to immigration hotline, figures show",
            "Charities in {place} urge MPs to stop passing constituents' details to Home Office",
            "Home Office received {num} immigration tip-offs from MPs' offices last year",
            "{lorg} warns of 'climate of fear' as referrals rise by {pct}",
            "Immigration enforcement hotline calls up {pct} in {place}",
            "Visa backlog leaves {num} families in limbo, says {lorg}",
            "{num} people detained after immigration raids in {place}",
            "MPs question Home Office over {num2} deportation flights",
            "Caseworkers in {place} told not to refer constituents to Immigration Enforcement",
            "{mps} MPs sign pledge not to report constituents to the Home Office",
        ],
    },
    "politics": {
        "section": "Politics",
        "groups": ["councillors", "ministers", "backbenchers", "voters", "opposition MPs", "party members",
                   "council leaders", "residents", "union officials"],
        "orgs": ["the Treasury", "the cabinet", "the Electoral Commission", "the Local Government Association",
                 "the Public Accounts Committee", "the Boundary Commission"],
        "local_orgs": ["{place} City Council", "{place} County Council", "the {place} Civic Society",
                       "the {place} Residents' Association", "{place} Borough Council", "the {place} Trades Council"],
        "roles": ["leader of {lorg}", "the MP for {place} {side}", "a cabinet minister", "a councillor in {place}",
                  "the shadow housing secretary", "chair of {lorg}", "a former minister", "a political analyst"],
        "counts": ["votes", "councillors", "amendments", "constituents", "signatures", "seats", "complaints",
                   "council homes", "planning applications", "postal ballots"],
        "issues": ["the council tax rise", "the new housing targets", "the local election results",
                   "the spending review", "the devolution deal", "the budget shortfall", "the bus franchising plan",
                   "boundary changes", "the leadership contest", "cuts to library services"],
        "claims": [
            "the council would have to find savings of {money} by {month}",
            "the government had failed to keep its promises on {issue}",
            "{count} had been lodged since the consultation opened",
            "the plan would be put to a vote in {month}",
            "turnout had fallen to {pct} in some wards",
            "{group} had not been properly consulted",
            "the budget gap had grown to {money}",
            "the party would review its position on {issue}",
            "the motion had been passed by {num} votes to {num2}",
            "{group} in {place} felt ignored by Westminster",
            "the deal would bring {money} of investment to {place}",
            "the council had little choice but to raise charges",
        ],
        "quotes": [
            "We have been clear from the start about what this means for {place}",
            "This is not the time for gimmicks, it is the time for a proper plan",
            "Residents deserve better than another round of cuts",
            "We will listen carefully to everyone who has taken part in the consultation",
            "The numbers simply do not add up",
            "I have written to the minister asking for an urgent meeting",
            "People in {place} want to see delivery, not more promises",
            "We were elected to make difficult decisions and we will make them",
        ],
        "events": ["a vote by {lorg} on {issue}", "a by-election in {place} {side}",
                   "a leaked memo about {issue}", "the resignation of a senior councillor",
                   "the submission of {count} to the consultation"],
        "sentences": [
            "The full council meeting lasted more than {num3} hours.",
            "{lorg} is due to set its budget in {month}.",
            "A vote on {issue} is expected before the summer recess.",
            "Opposition councillors tabled {count} to the plan.",
            "The minister has been invited to visit {place} to discuss {issue}.",
            "Local elections will be held across the region in May.",
        ],
        "headlines": [
            "{lorg} approves {pct} council tax rise after heated meeting",
            "{place} MP calls for inquiry into {issue}",
            "Councillors in {place} back plan to cut {num} posts",
            "Minister under pressure over {issue} as {num} sign petition",
            "{place} devolution deal worth {money} agreed",
            "Turnout falls to {pct} in {place} by-election",
            "Row over {issue} deepens as {lorg} leader hits back",
            "{num} residents object to {place} housing plan",
        ],
    },
    "business": {
        "section": "Business",
        "groups": ["shareholders", "employees", "suppliers", "small businesses", "retailers", "investors",
                   "union representatives", "customers", "landlords"],
        "orgs": ["the Bank of England", "the Competition and Markets Authority", "the Financial Conduct Authority",
                 "the Office for National Statistics", "the British Chambers of Commerce"],
        "local_orgs": ["Arkwell Foods", "Tamsin Logistics", "{place} Building Society", "Brightwater Energy",
                       "Harrow & Finch", "Castellan Homes", "Northlight Retail", "Kestrel Engineering",
                       "{place} Chamber of Commerce", "Greyfield Brewing"],
        "roles": ["chief executive of {lorg}", "finance director at {lorg}", "an analyst at Marston Capital",
                  "a spokesperson for {lorg}", "chair of {lorg}", "an economist at the University of {place}",
                  "founder of {lorg}", "regional organiser for the Unified Workers' Union"],
        "counts": ["jobs", "stores", "branches", "staff", "customers", "orders", "contracts", "shares",
                   "deliveries", "homes", "apprentices"],
        "issues": ["the proposed takeover", "rising energy costs", "the interest rate decision",
                   "the closure programme", "the pay dispute", "falling consumer confidence",
                   "the new business rates", "supply chain delays", "the pension shortfall"],
        "claims": [
            "profits had fallen by {pct} in the first half of the year",
            "the company would cut {count} as part of a restructuring",
            "sales had recovered strongly since {month}",
            "the deal valued the business at {money}",
            "{group} had been told about the changes {when}",
            "the closures would affect {count} across the region",
            "energy bills had more than doubled over {period}",
            "the firm had secured {money} of new funding",
            "{count} would be created at the new site in {place}",
            "the board remained confident about the outlook",
            "{issue} had hit margins harder than expected",
        ],
        "quotes": [
            "This has been a difficult year, but the business is in a much stronger position",
            "We know this news will be hard for colleagues and we will support them",
            "Demand has held up better than we feared",
            "The market has changed and we have to change with it",
            "We are investing {money} because we believe in {place}",
            "Small firms cannot keep absorbing these costs",
            "Customers are being much more careful with their money",
        ],
        "events": ["a profit warning from {lorg}", "the Bank of England's decision to hold interest rates",
                   "a rival bid of {money}", "the loss of a major contract",
                   "warnings that {num} jobs were at risk"],
        "sentences": [
            "Shares in {lorg} fell {pct} in early trading.",
            "The company employs {num} people in the UK.",
            "Results for the full year are due in {month}.",
            "{lorg} was founded in {place} in {year}.",
            "Analysts had expected revenue of about {money}.",
            "The firm said trading in the final quarter was in line with expectations.",
        ],
        "headlines": [
            "{lorg} to cut {num} jobs as profits fall",
            "{place} factory saved in {money} rescue deal",
            "{lorg} shares slump {pct} after profit warning",
            "{num} new jobs promised at {place} distribution centre",
            "Retailer {lorg} to close {num} stores",
            "{lorg} agrees {money} takeover by rival",
            "Energy costs force {place} firms to cut hours, survey of {num} shows",
        ],
    },
    "sport": {
        "section": "Sport",
        "groups": ["supporters", "players", "coaches", "season-ticket holders", "club officials", "fans",
                   "academy players"],
        "orgs": ["the Football Association", "the league", "the county cricket board", "the Rugby Football Union",
                 "the England and Wales Cricket Board"],
        "local_orgs": ["{place} Town", "{place} Rovers", "{place} United", "{place} Athletic",
                       "{place} Rugby Club", "{place} County Cricket Club", "{place} Harriers"],
        "roles": ["manager of {lorg}", "captain of {lorg}", "head coach at {lorg}", "chairman of {lorg}",
                  "the {lorg} striker", "a former international", "the {lorg} goalkeeper"],
        "counts": ["goals", "points", "matches", "fans", "tries", "wickets", "runs", "appearances",
                   "minutes", "season tickets", "clean sheets"],
        "issues": ["the ticket price rise", "the relegation battle", "the new stadium plan",
                   "the manager's future", "the injury crisis", "the transfer window", "the play-off race"],
        "claims": [
            "the side had taken only {num3} points from their last {num2} games",
            "the injury would keep him out for at least {num2} weeks",
            "{lorg} had sold {count} for the final",
            "the club was in talks about a new training ground in {place}",
            "the squad had responded well after a difficult {month}",
            "{group} deserved more after travelling in such numbers",
            "the fixture would be rearranged for {month}",
            "the team had scored {num2} goals in {period}",
            "{issue} had become a distraction",
        ],
        "quotes": [
            "We showed real character today and the lads deserved that",
            "It was a game of two halves and we were second best after the break",
            "The supporters were magnificent from the first minute to the last",
            "We have to take one game at a time",
            "I am really proud of the group, they never stopped running",
            "We know we need to be better than that",
            "There is a lot of football still to be played",
        ],
        "events": ["a {num4}-{num3} defeat at {place}", "a late equaliser against {lorg}",
                   "the departure of their leading scorer", "a {num3}-{num4} win over {lorg}"],
        "sentences": [
            "{P} opened the scoring after {minute} minutes.",
            "A crowd of {count} watched the match.",
            "{lorg} are now {num3} points clear of the relegation places.",
            "The visitors had a goal ruled out for offside shortly before half-time.",
            "{P} made {count} in all competitions last season.",
            "The two sides meet again in {month}.",
        ],
        "headlines": [
            "{lorg} beat {lorg2} {num3}-{num4} to climb the table",
            "{P} double fires {lorg} into the play-offs",
            "{lorg} sack manager after {num2} games without a win",
            "Late drama as {lorg} snatch draw at {place}",
            "{lorg} confirm {num} season tickets sold for new stadium",
            "{P} signs new {num3}-year deal at {lorg}",
        ],
    },
    "weather": {
        "section": "Weather",
        "groups": ["residents", "motorists", "farmers", "commuters", "householders", "emergency crews",
                   "rail passengers"],
        "orgs": ["the Met Office", "the Environment Agency", "the fire service", "National Highways",
                 "the coastguard"],
        "local_orgs": ["{place} Flood Action Group", "{place} Council", "Northern Grid Power",
                       "{place} Mountain Rescue", "the {place} Farmers' Union"],
        "roles": ["a forecaster at the Met Office", "chair of {lorg}", "a spokesperson for {lorg}",
                  "a farmer near {place}", "the incident commander", "a resident of {place}"],
        "counts": ["homes without power", "flood warnings", "millimetres of rain", "properties flooded",
                   "trees down", "roads closed", "cancelled trains", "call-outs", "sandbags"],
        "issues": ["the flood defences", "the storm warning", "the drought order", "the heatwave",
                   "the power cuts", "the gritting schedule"],
        "claims": [
            "{count} had been recorded in {place} overnight",
            "the worst of the rain would clear by the afternoon",
            "temperatures could reach {hot}C by the weekend",
            "{count} remained in place across the region",
            "engineers were working to restore supplies to {count}",
            "the river had peaked at its highest level since {year}",
            "{group} should avoid all but essential travel",
            "the flood defences in {place} had held",
        ],
        "quotes": [
            "We have never seen water come up this quickly",
            "Our crews have been working through the night",
            "Please do not drive through flood water, it is deeper than it looks",
            "It is going to be a very unsettled few days",
            "We lost everything on the ground floor",
        ],
        "events": ["a night of heavy rain", "gusts of {hot} mph on the coast",
                   "the wettest {month} on record", "a yellow warning for ice"],
        "sentences": [
            "An amber warning for rain is in force until {day} evening.",
            "Gusts of {hot} mph were recorded on exposed coasts.",
            "{lorg} said {count} had been dealt with since midnight.",
            "Schools in {place} were closed as a precaution.",
            "Forecasters said the unsettled weather would continue into next week.",
        ],
        "headlines": [
            "Storm leaves {num} homes without power in {place}",
            "Amber warning as {num2}mm of rain forecast for {place}",
            "{place} flood defences hold as river peaks",
            "Heatwave: temperatures to hit {hot}C in {place}",
            "{num} roads closed after snow in {place}",
        ],
    },
    "courts": {
        "section": "Crime and courts",
        "groups": ["jurors", "detectives", "prosecutors", "witnesses", "families of the victims",
                   "defence lawyers"],
        "orgs": ["the Crown Prosecution Service", "the Court of Appeal", "the police", "the Sentencing Council",
                 "the Independent Office for Police Conduct"],
        "local_orgs": ["{place} Crown Court", "{place} Magistrates' Court", "{place} Police",
                       "the {place} Victim Support service", "{place} Coroner's Court"],
        "roles": ["the judge", "prosecuting", "defending", "a detective inspector with {lorg}",
                  "the senior investigating officer", "a spokesperson for {lorg}", "the victim's sister"],
        "counts": ["charges", "years in prison", "months", "witnesses", "counts of fraud", "offences",
                   "victims", "arrests", "hours of community service"],
        "issues": ["the sentence", "the investigation", "the appeal", "the fraud case", "the trial",
                   "the inquest"],
        "claims": [
            "the defendant had shown no remorse",
            "{count} had been taken into account",
            "the jury had heard evidence from {count}",
            "the fraud had gone on for more than {num2} years",
            "the defendant had admitted {count}",
            "the case would be reviewed by {org}",
            "the victims had lost more than {money} between them",
            "officers had carried out {count} across {place}",
        ],
        "quotes": [
            "This was a cruel and calculated crime",
            "Nothing can bring him back, but today justice has been done",
            "I hope this sentence sends a clear message",
            "The investigation was long and complex",
            "We would urge anyone with information to come forward",
        ],
        "events": ["a trial lasting {num2} weeks", "a series of raids in {place}",
                   "an appeal against the sentence", "the arrest of {num2} people"],
        "sentences": [
            "{P}, {age}, of {place}, denied the charges.",
            "The trial continues.",
            "Sentencing was adjourned until {month}.",
            "The jury deliberated for {num2} hours before reaching its verdicts.",
            "{lorg} heard that the offences took place between {month} and {month2}.",
        ],
        "headlines": [
            "{place} man jailed for {num3} years over {money} fraud",
            "{num} arrested after police raids in {place}",
            "Jury told of 'campaign of fear' at {place} trial",
            "{P} cleared of {num3} charges at {place} Crown Court",
            "Inquest opens into death of {place} pensioner",
        ],
    },
    "health": {
        "section": "Health",
        "groups": ["patients", "nurses", "junior doctors", "GPs", "carers", "paramedics", "hospital staff"],
        "orgs": ["NHS England", "the Care Quality Commission", "the Department of Health",
                 "the British Medical Association", "the Royal College of Nursing"],
        "local_orgs": ["{place} NHS Trust", "{place} General Hospital", "the {place} Health Board",
                       "{place} Hospice", "the {place} Patients' Forum", "{place} Ambulance Service"],
        "roles": ["chief executive of {lorg}", "a consultant at {lorg}", "medical director at {lorg}",
                  "a GP in {place}", "chair of {lorg}", "a ward sister at {lorg}"],
        "counts": ["patients", "beds", "appointments", "operations", "nurses", "vacancies", "ambulance calls",
                   "hours waited", "complaints", "referrals"],
        "issues": ["waiting lists", "the staffing shortage", "A&E waiting times", "the new maternity unit",
                   "the strike", "the closure of the minor injuries unit"],
        "claims": [
            "{count} were waiting more than a year for treatment",
            "the trust had filled {count} since {month}",
            "A&E had seen {count} in a single day",
            "the new unit would open in {month}",
            "{group} were under more pressure than ever",
            "{issue} had improved for the first time in {num2} months",
            "the trust needed {money} to clear its backlog",
        ],
        "quotes": [
            "Our staff are going above and beyond every single day",
            "Patients should not have to wait this long",
            "We are recruiting as fast as we can",
            "This investment will make a real difference to families in {place}",
            "Please only come to A&E if it is a genuine emergency",
        ],
        "events": ["a critical inspection report", "the cancellation of {count} during the strike",
                   "a critical incident declared by {lorg}", "the opening of a new ward"],
        "sentences": [
            "The trust has {count} across its three sites.",
            "{lorg} was rated as requiring improvement at its last inspection.",
            "Waiting times have risen for {num2} consecutive months.",
            "The government said it was investing record sums in the NHS.",
        ],
        "headlines": [
            "{lorg} cancels {num} operations as pressure mounts",
            "{num} patients in {place} waiting more than a year",
            "New {money} maternity unit opens in {place}",
            "{place} hospital rated 'inadequate' by inspectors",
            "{lorg} recruits {num} nurses from overseas",
        ],
    },
}

GENERIC_SENTENCES = [
    "{group} {reacted} {when}, according to {org}.",
    "Figures released by {org} show {count} in {period}, compared with {num2} the year before.",
    "\"{quote},\" said {speaker}.",
    "\"{quote}. {quote},\" said {speaker}.",
    "{subj} said {claim}.",
    "In a statement, {org} said {claim}.",
    "{subjc} who has {experience}, said {claim}.",
    "It is understood that {claim}.",
    "A spokesperson for {lorg} said: \"{quote}.\"",
    "{group} in {place} have raised concerns about {issue}.",
    "Critics argue that {claim}, while supporters say {claim}.",
    "The latest figures, obtained by {outlet} under the Freedom of Information Act, show {count} over {period}.",
    "{When}, {count} were recorded across {place} and the surrounding area.",
    "Asked about {issue}, {subj} said {claim}.",
    "{org} declined to comment on {issue} but said {claim}.",
    "There were {count} in {place} alone, {pct} of the total.",
    "The row comes after {event}.",
    "{P} told {outlet} that {claim}.",
    "More than {count} have been reported since {month}, {org} said.",
    "The report, published {when}, found that {claim}.",
    "{subj} added: \"{quote}.\"",
    "Speaking in {place} {when}, {subj} said {claim}.",
    "According to {lorg}, {claim}.",
    "That is {pct} higher than at the same point last year.",
    "The changes will affect {count} across the region, {lorg} estimates.",
    "{When}, {lorg} said {claim}.",
    "\"{quote},\" {subj} said. \"{quote}.\"",
    "Asked whether {claim}, {subj} said: \"{quote}.\"",
    "The figures, which cover {period}, suggest that {claim}.",
    "{org} said {claim}, adding that {claim}.",
    "Concerns about {issue} were first raised {when}.",
    "{group} have been told that {claim}.",
    "Last year, {count} were recorded, and {org} expects that number to rise.",
    "It follows {event} {when}.",
    "Neither {org} nor {lorg} would say how many {countnoun} were involved.",
]
REACTED = ["raised concerns", "called for an independent review", "welcomed the decision",
           "reacted angrily", "demanded answers", "wrote to the minister", "were briefed on the plans",
           "criticised the move", "met officials", "asked for more time"]
EXPERIENCE = ["worked in the area for {num2} years", "campaigned on the issue since {year}",
              "been in post since {month}", "followed the case closely", "represented the area since {year}",
              "spent {num2} years in the role"]
WHEN = ["on {day}", "last week", "earlier this month", "in {month}", "this week", "on {day} evening",
        "late last year", "at the weekend", "on {day} morning", "in early {month}", "last month"]
PERIOD = ["the past 12 months", "the first half of the year", "the year to {month}", "the last three years",
          "{year}", "the past six months", "the financial year to April", "the last quarter",
          "the period since {month}"]
STANDFIRSTS = ["{group} say {claim}", "{lorg} says {claim}", "Figures suggest {claim}",
               "{org} says {claim}", "{group} warn that {claim}"]
SUBHEADS = ["What the figures show", "What happens next", "Background", "'Not good enough'", "The response",
            "How we got here", "What they said", "A growing problem", "Reaction", "The numbers"]
SECTIONS_EXTRA = ["World", "Opinion", "Culture", "Travel", "Money", "Education", "Science", "Technology",
                  "Football", "Cricket", "Rugby", "Environment", "Property", "Motoring", "Lifestyle", "Food",
                  "Books", "Music", "Film", "TV", "Obituaries", "Letters", "Puzzles", "Podcasts", "Video",
                  "Newsletters", "Local", "Transport", "Housing", "Farming", "Jobs", "Family notices",
                  "Features", "Analysis", "Explainers", "Investigations", "Photos", "Live", "Archive",
                  "Scotland", "Wales", "Northern Ireland", "Europe", "Americas", "Asia", "Africa",
                  "Middle East", "Climate", "Tennis", "Golf", "Racing", "Boxing", "Athletics", "Cycling"]
FOOTER_LINKS = ["About us", "Contact us", "Careers", "Advertise", "Terms and conditions", "Privacy policy",
                "Cookie settings", "Accessibility", "Complaints", "Corrections", "Editorial standards",
                "Syndication", "Subscriptions", "Manage account", "Help centre", "Site map", "RSS feeds",
                "Newsletters", "Apps", "Archive", "Events", "Shop", "Reader offers", "Competitions",
                "Modern slavery statement", "Our journalists", "Tip us off", "Work for us", "Press office"]
CAPTIONS = ["The scene in {place} on {day}", "{P} speaking at the meeting", "File photo",
            "{lorg} has been at the centre of the row", "The site in {place}", "{P} outside court",
            "Campaigners gathered in {place}", "Figures were published {when}"]
VENDOR_WORDS = ("Ad Audience Bid Click Data Digital Direct Display Engage Insight Lift Link Media Metric "
                "Native Pixel Prime Reach Signal Smart Stack Target Trade Trend Video Yield").split()


# --- prose ------------------------------------------------------------------------------------

@dataclass
class _Person:
    first: str
    last: str
    title: str
    role: str

    @property
    def full(self):
        return f"{self.first} {self.last}"


class _Prose:
    """Fills templates for one article: its own cast, organisations and place, so that
    sentences built from one template differ from article to article; a person is named
    in full with their role on first mention and as "Ms Iqbal" afterwards."""

    def __init__(self, rng: random.Random, topic: str, outlet_name: str):
        self.rng = rng
        self.t = TOPICS[topic]
        self.outlet_name = outlet_name
        self.place = rng.choice(PLACES)
        self.places = [self.place] + rng.sample(PLACES, 3)
        self.lorgs = [t.format(place=rng.choice(self.places)) for t in rng.sample(self.t["local_orgs"], 3)]
        self.orgs = rng.sample(self.t["orgs"], min(3, len(self.t["orgs"])))
        self.nouns = rng.sample(self.t["counts"], 5)
        self.cast = [self._person() for _ in range(rng.randint(3, 5))]
        self.introduced: set[int] = set()
        # Each story draws on its own share of the templates: stories on one topic would
        # otherwise all repeat the same stock sentences and look alike to a dedup stage.
        self.claims = self._share(self.t["claims"])
        self.quotes = self._share(self.t["quotes"]) + self._share(GENERIC_QUOTES)
        self.sentences = self._share(self.t["sentences"])
        self.generic = self._share(GENERIC_SENTENCES)
        self.generic += rng.sample([g for g in GENERIC_SENTENCES if "{quote}" in g], 2)  # every story quotes someone
        self.year = rng.randint(2009, 2022)

    def _share(self, pool: list[str]) -> list[str]:
        return self.rng.sample(pool, max(2, round(len(pool) * self.rng.uniform(0.35, 0.6))))

    def _person(self) -> _Person:
        rng = self.rng
        female = rng.random() < 0.5
        first = rng.choice(FIRST_F if female else FIRST_M)
        last = rng.choice(SURNAMES)
        title = "Dr" if rng.random() < 0.08 else ("Ms" if female else "Mr")
        role = rng.choice(self.t["roles"]).format(lorg=rng.choice(self.lorgs), place=rng.choice(self.places),
                                                  side=rng.choice(SIDES))
        return _Person(first, last, title, role)

    def fill(self, template: str) -> str:
        s = template.format_map(self)
        return s[0].upper() + s[1:]

    # Slots that are a whole number in a range.
    _RANGES = {"num2": (2, 40), "num3": (1, 6), "num4": (0, 3), "mps": (12, 240), "hot": (27, 36),
               "minute": (2, 89), "age": (19, 78)}

    def __getitem__(self, key: str) -> str:
        if key in self._RANGES:
            return str(self.rng.randint(*self._RANGES[key]))
        return getattr(self, "s_" + key)()

    # Slots: each call draws afresh.
    def _mention(self, subject: bool) -> str:
        i = self.rng.randrange(len(self.cast))
        p = self.cast[i]
        if i in self.introduced:
            return f"{p.title} {p.last}"
        self.introduced.add(i)
        return f"{p.full}, {p.role}," if subject else f"{p.full}, {p.role}"

    def s_speaker(self):
        return self._mention(False)

    def s_subj(self):
        return self._mention(True)

    def s_subjc(self):  # subject followed by a clause: always a comma
        s = self._mention(True)
        return s if s.endswith(",") else s + ","

    def s_P(self):
        return self.rng.choice(self.cast).full

    def s_org(self):
        return self.rng.choice(self.orgs)

    def s_lorg(self):
        self._lorg = self.rng.choice(self.lorgs)
        return self._lorg

    def s_lorg2(self):  # another one than the last {lorg}
        return self.rng.choice([x for x in self.lorgs if x != getattr(self, "_lorg", None)])

    def s_place(self):
        return self.place if self.rng.random() < 0.6 else self.rng.choice(self.places)

    def s_group(self):
        return self.rng.choice(self.t["groups"])

    def s_issue(self):
        return self.rng.choice(self.t["issues"])

    def s_claim(self):
        return self.rng.choice(self.claims).format_map(self)

    def s_quote(self):
        return self.rng.choice(self.quotes).format_map(self)

    def s_event(self):
        return self.rng.choice(self.t["events"]).format_map(self)

    def s_experience(self):
        return self.rng.choice(EXPERIENCE).format_map(self)

    def s_reacted(self):
        return self.rng.choice(REACTED)

    def _number(self) -> int:
        r = self.rng.random()
        return (self.rng.randint(2, 99) if r < 0.45 else self.rng.randint(100, 999) if r < 0.85
                else self.rng.randint(1000, 48000))

    def s_num(self):
        return f"{self._number():,}"

    def s_year(self):
        return str(self.year)

    def s_countnoun(self):
        return self.rng.choice(self.nouns)

    def s_count(self):
        return f"{self._number():,} {self.rng.choice(self.nouns)}"

    def s_pct(self):
        return f"{self.rng.randint(2, 85)} per cent"

    def s_money(self):
        if self.rng.random() < 0.6:
            return f"£{self.rng.randint(1, 950) / 10:g} million"
        return f"£{self.rng.randint(12, 990)},000"

    def s_month(self):
        return self.rng.choice(MONTHS)

    def s_month2(self):
        return self.rng.choice(MONTHS)

    def s_day(self):
        return self.rng.choice(DAYS)

    def s_when(self):
        return self.rng.choice(WHEN).format_map(self)

    def s_When(self):
        w = self.s_when()
        return w[0].upper() + w[1:]

    def s_period(self):
        return self.rng.choice(PERIOD).format_map(self)

    def s_outlet(self):
        return self.outlet_name

    def s_side(self):
        return self.rng.choice(SIDES)

    # --- whole texts

    def sentence(self) -> str:
        pool = self.sentences if self.rng.random() < 0.15 else self.generic
        return self.fill(self.rng.choice(pool))

    def body(self) -> list[str]:
        """8-25 paragraphs, 400-1,200 words in all, no sentence used twice."""
        rng = self.rng
        n = rng.randint(8, 25)
        target = rng.randint(max(430, n * 24), min(1150, n * 80))
        seen: set[str] = set()

        def fresh() -> str:
            for _ in range(20):
                s = self.sentence()
                if s not in seen:
                    break
            seen.add(s)
            return s

        paras = []
        for _ in range(n):
            share = target / n * rng.uniform(0.6, 1.4)
            sentences, words = [], 0
            while not sentences or words < share * 0.85:
                s = fresh()
                sentences.append(s)
                words += s.count(" ") + 1
            paras.append(sentences)

        def count():
            return sum(s.count(" ") + 1 for p in paras for s in p)

        total = count()
        while total > 1180:  # trim the longest paragraphs' last sentences
            longest = max(paras, key=lambda p: (len(p) > 1, len(p)))
            if len(longest) == 1:
                longest[0] = min((fresh() for _ in range(5)), key=len)
            else:
                longest.pop()
            total = count()
        while total < 420:
            s = fresh()
            min(paras, key=len).append(s)
            total += s.count(" ") + 1
        return [" ".join(p) for p in paras]

    def headline(self) -> str:
        h = self.rng.choice(self.t["headlines"]).format_map(self)
        return h[0].upper() + h[1:]

    def standfirst(self) -> str:
        return self.fill(self.rng.choice(STANDFIRSTS)) + "."


GENERIC_QUOTES = [
    "We are looking at this very carefully",
    "It is simply not good enough",
    "We need answers, and we need them quickly",
    "Nobody wants to see this happen again",
    "The figures speak for themselves",
    "We will be pressing for a full explanation",
    "I think people have a right to know",
    "It has been a very difficult few months for everyone involved",
    "We welcome any steps that bring clarity",
    "There are lessons to be learned here",
]


def slugify(text: str, words: int = 9) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()[:words])


# --- the site ---------------------------------------------------------------------------------

class Resource(NamedTuple):
    content_type: str
    body: bytes
    gz: bytes
    etag: str
    modified: str  # HTTP date


@dataclass
class Outlet:
    id: str
    name: str
    family: str
    prefix: str  # class-name prefix, so two outlets of one family still differ
    sections: list[tuple[str, str]]  # (name, slug) in the nav
    nav: str = ""
    footer: str = ""
    css: str = ""


@dataclass
class Article:
    id: int
    outlet: str
    path: str
    headline: str
    standfirst: str
    published: datetime
    author: str
    topic: str
    family: str
    section: str
    words: int = 0  # words of the body's <p> paragraphs
    paragraphs: int = 0
    syndicated_from: int | None = None  # id of the article whose body this one copies
    seed: int = 0  # of its prose; a syndicated copy has its source's
    draws: int = 1  # headlines drawn before an unused one came up


def _gzip(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: gzip container; no mtime, so deterministic
    return c.compress(data) + c.flush()


def _resource(ctype: str, body: bytes, modified: datetime) -> Resource:
    return Resource(ctype, body, _gzip(body), '"%s"' % hashlib.blake2b(body, digest_size=8).hexdigest(),
                    format_datetime(modified.astimezone(_UTC), usegmt=True))


@dataclass
class Site:
    outlets: list[Outlet]
    articles: list[Article]
    files: dict[str, Resource]  # origin-free: articles, homepages, section and info pages
    by_outlet: dict[str, list[Article]] = field(default_factory=dict)  # newest first
    build_seconds: float = 0.0
    _listings: dict[str, dict[str, Resource]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # --- URLs

    def article_urls(self, base_url: str) -> list[str]:
        base = base_url.rstrip("/")
        return [base + a.path for a in self.articles]

    def feed_urls(self, base_url: str) -> list[str]:
        base = base_url.rstrip("/")
        return [f"{base}/{o.id}/feed.xml" for o in self.outlets]

    def sitemap_urls(self, base_url: str, children: bool = False) -> list[str]:
        """Each outlet's sitemap index (what robots.txt lists), or with children=True their child sitemaps."""
        base = base_url.rstrip("/")
        if not children:
            return [f"{base}/{o.id}/sitemap.xml" for o in self.outlets]
        return [f"{base}/{o.id}/sitemap-{i + 1}.xml" for o in self.outlets
                for i in range(self._child_count(o))]

    def pages_in_memory(self, base_url: str = DEFAULT_ORIGIN) -> list[tuple[str, str]]:
        """(url, html) of every article, for extraction measured without HTTP."""
        base = base_url.rstrip("/")
        return [(base + a.path, self.files[a.path].body.decode("utf-8")) for a in self.articles]

    def html(self, article: Article) -> str:
        return self.files[article.path].body.decode("utf-8")

    # --- per-origin listings: robots.txt, feeds, sitemaps (absolute URLs)

    def _child_count(self, outlet: Outlet) -> int:
        return max(1, -(-len(self.by_outlet[outlet.id]) // SITEMAP_URLS))

    def lookup(self, path: str, origin: str) -> Resource | None:
        res = self.files.get(path)
        if res is None:
            listings = self._listings.get(origin)
            if listings is None:
                with self._lock:
                    listings = self._listings.get(origin) or self._render_listings(origin)
                    if len(self._listings) < 16:  # a few origins (127.0.0.1, localhost); not every Host sent
                        self._listings[origin] = listings
            res = listings.get(path)
        return res

    def _render_listings(self, origin: str) -> dict[str, Resource]:
        origin = origin.rstrip("/")
        out = {}
        newest = max((a.published for a in self.articles), default=datetime(2024, 1, 1, tzinfo=_UTC))
        out["/robots.txt"] = _resource(TEXT, listings.robots_txt(sitemaps=self.sitemap_urls(origin)).encode(), newest)
        for o in self.outlets:
            arts = self.by_outlet[o.id]
            latest = arts[0].published if arts else newest
            out[f"/{o.id}/feed.xml"] = _resource("application/rss+xml; charset=utf-8",
                                                 _rss(o, arts[:FEED_ITEMS], origin).encode(), latest)
            children = []
            for i in range(self._child_count(o)):
                chunk = arts[i * SITEMAP_URLS:(i + 1) * SITEMAP_URLS]
                url = f"{origin}/{o.id}/sitemap-{i + 1}.xml"
                mod = chunk[0].published if chunk else latest
                children.append((url, mod))
                out[f"/{o.id}/sitemap-{i + 1}.xml"] = _resource("application/xml; charset=utf-8",
                                                                _urlset(chunk, origin).encode(), mod)
            out[f"/{o.id}/sitemap.xml"] = _resource("application/xml; charset=utf-8",
                                                    listings.sitemap_index(children).encode(), latest)
        return out


def _rss(outlet: Outlet, articles: list[Article], origin: str) -> str:
    return listings.rss(outlet.name, f"{origin}/{outlet.id}/", [
        listings.Entry(url=origin + a.path, title=a.headline, published=a.published, summary=a.standfirst,
                       author=a.author, category=a.section) for a in articles],
        description=f"Latest news from {outlet.name}", language="en-gb",
        built=articles[0].published if articles else None)


def _urlset(articles: list[Article], origin: str) -> str:
    return listings.sitemap((origin + a.path, a.published) for a in articles)


# --- building -------------------------------------------------------------------------------------

def _uk_time(rng: random.Random) -> datetime:
    utc = datetime(2024, 1, 1, tzinfo=_UTC) + timedelta(seconds=rng.randrange(366 * 86400))
    bst = datetime(2024, 3, 31, 1, tzinfo=_UTC) <= utc < datetime(2024, 10, 27, 1, tzinfo=_UTC)
    return utc.astimezone(_BST if bst else _UTC)


def _make_outlets(n: int, rng: random.Random) -> list[Outlet]:
    outlets = []
    for i in range(n):
        name = OUTLET_NAMES[i % len(OUTLET_NAMES)]
        if i >= len(OUTLET_NAMES):
            name += f" {i // len(OUTLET_NAMES) + 1}"
        oid = slugify(name.removeprefix("The "))
        topic_sections = sorted({TOPICS[t]["section"] for t in TOPICS})
        extra = rng.sample(SECTIONS_EXTRA, rng.randint(14, len(SECTIONS_EXTRA) - 2))
        sections = [(s, slugify(s)) for s in topic_sections + extra]
        outlets.append(Outlet(oid, name, FAMILIES[i % len(FAMILIES)], rng.choice(["", "s-", "nw-", "c-", "x-"]),
                              sections))
    return outlets


def build_site(pages: int, outlets: int = 8, seed: int = 1) -> Site:
    """A deterministic synthetic web of ``pages`` articles across ``outlets`` outlets."""
    start = time.perf_counter()
    rng = random.Random(seed)
    outs = _make_outlets(outlets, rng)
    topics, weights = list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values())

    # Pass 1: what every article is (headlines are needed by other pages' related lists).
    articles: list[Article] = []
    headlines: set[str] = set()
    for i in range(pages):
        outlet = rng.choice(outs)
        published = _uk_time(rng)
        source = None
        if articles and rng.random() < 0.03:  # a wire story also run by another outlet
            cands = [a for a in rng.sample(articles, min(8, len(articles)))
                     if a.outlet != outlet.id and a.syndicated_from is None]
            if cands:
                source = cands[0]
        if source:
            topic, art_seed, draws = source.topic, source.seed, source.draws
            headline, standfirst = source.headline, source.standfirst
            author = "Press Association"
            published = min(source.published + timedelta(minutes=rng.randint(5, 300)),
                            datetime(2024, 12, 31, 23, 59, tzinfo=_UTC))
        else:
            topic = rng.choices(topics, weights)[0]
            art_seed = rng.getrandbits(48)
            prose = _Prose(random.Random(art_seed), topic, outlet.name)
            headline, draws = prose.headline(), 1
            while headline in headlines and draws < 20:
                headline, draws = prose.headline(), draws + 1
            standfirst = prose.standfirst()
            author = f"{rng.choice(FIRST_F + FIRST_M)} {rng.choice(SURNAMES)}"
        headlines.add(headline)
        path = f"/{outlet.id}/news/{published:%Y/%m/%d}/{slugify(headline)}-{i + 1}.html"
        articles.append(Article(i + 1, outlet.id, path, headline, standfirst, published, author, topic,
                                outlet.family, TOPICS[topic]["section"], seed=art_seed, draws=draws,
                                syndicated_from=source.id if source else None))

    site = Site(outs, articles, {})
    for o in outs:
        site.by_outlet[o.id] = sorted((a for a in articles if a.outlet == o.id),
                                      key=lambda a: a.published, reverse=True)
    render = _Renderer(site, rng)
    # Pass 2: the pages.
    for a in articles:
        site.files[a.path] = _resource(_HTML, render.article(a).encode("utf-8"), a.published)
    for o in outs:
        for path, page in render.outlet_pages(o).items():
            site.files[path] = _resource(_HTML, page.encode("utf-8"), datetime(2024, 12, 31, tzinfo=_UTC))
    site.files["/"] = _resource(_HTML, render.root().encode("utf-8"), datetime(2024, 12, 31, tzinfo=_UTC))
    site.build_seconds = time.perf_counter() - start
    return site


def _esc(s: str) -> str:
    return html.escape(s, quote=True)


def _text(s: str) -> str:
    return html.escape(s, quote=False)


def _date_label(d: datetime) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


class _Renderer:
    """Page markup. Per outlet: nav, footer and CSS built once; per page: the article,
    its widgets, then padding of plausible markup and scripts up to the page's size."""

    def __init__(self, site: Site, rng: random.Random):
        self.site = site
        self.rng = random.Random(rng.getrandbits(64))
        self.scripts = [self._script(i) for i in range(80)]  # the site's shared JS bundle pieces
        self.outlets = {o.id: o for o in site.outlets}
        for o in site.outlets:
            self._chrome(o)

    # --- per-outlet chrome

    def _chrome(self, o: Outlet):
        rng, p = self.rng, o.prefix
        links = f'<li class="{p}nav__item"><a class="{p}nav__link" href="/{o.id}/">Home</a></li>' + "".join(
            f'<li class="{p}nav__item"><a class="{p}nav__link" href="/{o.id}/{slug}/">{_text(name)}</a></li>'
            for name, slug in o.sections)
        o.nav = (f'<nav class="{p}nav" aria-label="Sections"><ul class="{p}nav__list">{links}</ul></nav>')
        cols = []
        names = FOOTER_LINKS + [n for n, _ in o.sections]
        rng.shuffle(names)
        for c in range(4):
            col = names[c * len(names) // 4:(c + 1) * len(names) // 4]
            cols.append(f'<div class="{p}footer__col"><ul>' + "".join(
                f'<li><a href="/{o.id}/info/{slugify(n)}.html">{_text(n)}</a></li>' for n in col) + "</ul></div>")
        o.footer = (f'<footer class="{p}site-footer" role="contentinfo"><div class="{p}footer__inner">'
                    f'<a class="{p}footer__logo" href="/{o.id}/">{_text(o.name)}</a>{"".join(cols)}'
                    f'<p class="{p}footer__legal">&copy; 2024 {_text(o.name)} Ltd. Registered in England and Wales '
                    f'No. {rng.randint(1000000, 9999999)}. All rights reserved.</p></div></footer>')
        sels = [".nav", ".nav__list", ".nav__link", ".site-header", ".site-footer", ".footer__col", ".card",
                ".card__headline", ".byline", ".headline", ".standfirst", ".share-tools", ".most-read",
                ".cookie-consent", ".btn", ".btn--primary", ".ad-slot", ".related", ".tag-list", ".story",
                ".container", ".row", ".col-8", ".col-4", ".entry-content", ".article__section", ".txt"]
        props = ["margin:0 auto", "padding:0 16px", "display:flex", "display:grid", "font-size:1.125rem",
                 "line-height:1.5", "color:#1a1a1a", "background:#fff", "border-bottom:1px solid #dcdcdc",
                 "font-weight:700", "max-width:1280px", "gap:12px", "text-decoration:none", "position:relative",
                 "font-family:Georgia,serif", "letter-spacing:.01em", "grid-template-columns:repeat(4,1fr)"]
        rules = []
        for _ in range(rng.randint(90, 160)):
            sel = p + rng.choice(sels)[1:] if rng.random() < 0.8 else rng.choice(sels)[1:]
            state = rng.choice(["", "", ":hover", "::before", " a", " li", " img"])
            rules.append(f".{sel}{state}{{{';'.join(rng.sample(props, rng.randint(2, 5)))}}}")
            if rng.random() < 0.1:
                rules.append(f"@media (min-width:{rng.choice([600, 740, 980, 1140])}px){{.{sel}"
                             f"{{{';'.join(rng.sample(props, 2))}}}}}")
        o.css = "".join(rules)

    def _script(self, i: int) -> str:
        rng = self.rng
        kind = i % 5
        if kind == 0:  # ad slot configuration
            slots = ",".join(
                f'{{id:"slot-{rng.randint(100, 999)}-{j}",'
                f'path:"/{rng.randint(1000, 9999)}/news/{rng.choice(list(TOPICS))}",'
                f'sizes:[[300,250],[{rng.choice([300, 320, 728])},{rng.choice([50, 90, 600])}]],'
                f'targeting:{{pos:"{rng.choice(["top", "mid", "btm"])}{j}",'
                f'kw:["{rng.choice(VENDOR_WORDS).lower()}"]}}}}'
                for j in range(rng.randint(6, 14)))
            return (f"(function(w){{var slots=[{slots}];w.adq=w.adq||[];w.adq.push(function(a){{"
                    "for(var i=0;i<slots.length;i++){var s=slots[i];a.define(s.path,s.sizes,s.id).target(s.targeting);}"
                    "a.collapseEmpty(true);a.enable();});})(window);")
        if kind == 1:  # consent vendor list
            vendors = ",".join(
                f'{{"id":{rng.randint(1, 1200)},"name":"{rng.choice(VENDOR_WORDS)} {rng.choice(VENDOR_WORDS)} Ltd",'
                f'"purposes":{sorted(rng.sample(range(1, 11), rng.randint(1, 6)))},'
                f'"legIntPurposes":[{rng.randint(2, 10)}],'
                f'"policyUrl":"https://{rng.choice(VENDOR_WORDS).lower()}{rng.randint(1, 99)}.example/privacy"}}'
                for _ in range(rng.randint(15, 40)))
            return f"window.__cmpVendors=[{vendors}];"
        if kind == 2:  # experiment flags
            flags = ",".join(f'"{rng.choice(VENDOR_WORDS).lower()}_{rng.randint(1, 999)}":'
                             f'{{"variant":"{rng.choice("abc")}",'
                             f'"weight":{rng.randint(1, 99) / 100},"enabled":{rng.choice(["true", "false"])}}}'
                             for _ in range(rng.randint(20, 60)))
            return f"window.__FLAGS__={{{flags}}};"
        if kind == 3:  # bundled module chunk
            mods = ",".join(
                f'{rng.randint(100, 99999)}:function(e,t,n){{"use strict";n.d(t,{{Z:function(){{return r}}}});'
                f'var o=n({rng.randint(100, 99999)}),r=function(e){{var t=e.children,'
                f'n=e.{rng.choice(["title", "label", "href"])};'
                f'return o.createElement("div",{{className:"c-{rng.choice(VENDOR_WORDS).lower()}-{rng.randint(1, 99)}",'
                f'"data-n":n}},t)}}}}' for _ in range(rng.randint(8, 20)))
            return f'(self.webpackChunk=self.webpackChunk||[]).push([[{rng.randint(10, 999)}],{{{mods}}}]);'
        return ("!function(w,d,n){w[n]=w[n]||function(){(w[n].q=w[n].q||[]).push(arguments)};w[n].l=+new Date;"
                f'var s=d.createElement("script");s.async=1;s.src="/static/js/metrics.{rng.getrandbits(40):010x}.js";'
                f'd.head.appendChild(s)}}(window,document,"snm");snm("init","SN-{rng.randint(10000, 99999)}");'
                'snm("set","transport","beacon");snm("page");')

    # --- shared widgets

    def _head(self, o: Outlet, a: Article, canonical: str, image: str) -> str:
        iso = a.published.isoformat()
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.headline,
              "description": a.standfirst, "datePublished": iso, "dateModified": iso,
              "author": [{"@type": "Person", "name": a.author}], "articleSection": a.section,
              "image": [image], "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
              "publisher": {"@type": "Organization", "name": o.name,
                            "logo": {"@type": "ImageObject", "url": f"/{o.id}/static/logo.png"}}}
        ld_json = json.dumps(ld).replace("</", "<\\/")
        return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{_esc(a.headline)} | {_esc(o.name)}</title>"
                f'<meta name="description" content="{_esc(a.standfirst)}">'
                f'<meta name="author" content="{_esc(a.author)}">'
                f'<link rel="canonical" href="{canonical}">'
                f'<meta property="og:type" content="article"><meta property="og:title" content="{_esc(a.headline)}">'
                f'<meta property="og:url" content="{canonical}"><meta property="og:image" content="{image}">'
                f'<meta property="og:site_name" content="{_esc(o.name)}">'
                f'<meta property="article:published_time" content="{iso}">'
                f'<meta property="article:section" content="{_esc(a.section)}">'
                f'<meta name="twitter:card" content="summary_large_image">'
                f'<link rel="alternate" type="application/rss+xml" title="{_esc(o.name)}" href="/{o.id}/feed.xml">'
                f'<link rel="preload" as="font" href="/{o.id}/static/fonts/serif.woff2" crossorigin>'
                f"<style>{o.css}</style>"
                f'<script type="application/ld+json">{ld_json}</script>'
                f'<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"pageType":"article",'
                f'"articleId":"{a.id}","section":"{_esc(a.section)}","template":"{a.family}",'
                f'"published":"{iso}","wordCount":{a.words}}});</script></head>')

    def _cookie(self, o: Outlet) -> str:
        p = o.prefix
        return (f'<div id="{p}cookie-banner" class="{p}cookie-consent" role="dialog" aria-live="polite" hidden>'
                f'<div class="{p}cookie-consent__text">We and our partners use cookies to personalise content and '
                f'ads, to provide social media features and to analyse our traffic. '
                f'<a href="/{o.id}/info/cookie-settings.html">Manage preferences</a></div>'
                f'<button class="{p}btn {p}btn--primary" data-consent="all">Accept all</button>'
                f'<button class="{p}btn" data-consent="none">Reject non-essential</button></div>')

    def _header(self, o: Outlet) -> str:
        p = o.prefix
        return (f'<header class="{p}site-header"><a class="{p}skip-link" href="#main">Skip to content</a>'
                f'<div class="{p}masthead"><a class="{p}logo" href="/{o.id}/">{_text(o.name)}</a>'
                f'<a class="{p}btn {p}subscribe" href="/{o.id}/info/subscriptions.html">Subscribe</a>'
                f'<form class="{p}search" action="/{o.id}/search"><input name="q" placeholder="Search"></form>'
                f"</div>{o.nav}</header>")

    def _pick(self, o: Outlet, k: int, exclude: Article, same_outlet: bool = True) -> list[Article]:
        pool = self.site.by_outlet[o.id] if same_outlet else self.site.articles
        picks = self.rng.sample(pool, min(k + 1, len(pool)))
        return [x for x in picks if x is not exclude][:k]

    def _most_read(self, o: Outlet, a: Article) -> str:
        p = o.prefix
        items = "".join(f'<li class="{p}most-read__item"><a href="{x.path}">{_text(x.headline)}</a></li>'
                        for x in self._pick(o, 10, a))
        return (f'<section class="{p}most-read" data-widget="most-read"><h2 class="{p}most-read__title">Most read'
                f'</h2><ol class="{p}most-read__list">{items}</ol></section>')

    def _share(self, o: Outlet, a: Article) -> str:
        p = o.prefix
        services = ["Facebook", "X", "WhatsApp", "LinkedIn", "Email"]
        items = "".join(f'<li><a class="{p}share-tools__link" href="https://share.example/{s.lower()}?u={a.path}"'
                        f' rel="noopener" target="_blank" aria-label="Share on {s}">{s}</a></li>' for s in services)
        return f'<ul class="{p}share-tools">{items}</ul>'

    def _comments(self, o: Outlet) -> str:
        n = self.rng.randint(0, 900)
        return (f'<a class="{o.prefix}comment-count" href="#comments" data-comments="{n}">'
                f'<span class="{o.prefix}comment-count__n">{n}</span> comments</a>')

    def _related(self, o: Outlet, a: Article, cls: str) -> str:
        items = "".join(f'<li><a href="{x.path}">{_text(x.headline)}</a></li>' for x in self._pick(o, 5, a))
        return f'<aside class="{o.prefix}{cls}"><h3>Related stories</h3><ul>{items}</ul></aside>'

    def _figure(self, o: Outlet, a: Article, prose: _Prose, cls: str) -> str:
        caption = prose.fill(self.rng.choice(CAPTIONS))
        return (f'<figure class="{o.prefix}{cls}"><img src="/{o.id}/img/{a.id}-{self.rng.randint(1, 9)}.jpg" '
                f'alt="{_esc(caption)}" width="960" height="540" loading="lazy"><figcaption>{_text(caption)} '
                f'<span class="{o.prefix}credit">Photo: {_text(prose.s_P())}</span></figcaption></figure>')

    def _tags(self, o: Outlet, a: Article, prose: _Prose) -> str:
        tags = [a.section, prose.place] + prose.lorgs[:2]
        return (f'<ul class="{o.prefix}tag-list">' +
                "".join(f'<li><a href="/{o.id}/{slugify(t)}/">{_text(t)}</a></li>' for t in tags) + "</ul>")

    def _paras(self, o: Outlet, paras: list[str]) -> list[str]:
        out = []
        for text in paras:
            t = _text(text)
            if self.rng.random() < 0.12:  # an occasional in-text link, as editors add them
                words = t.split(" ")
                j = self.rng.randrange(max(1, len(words) - 3))
                words[j] = f'<a href="/{o.id}/{slugify(self.rng.choice(o.sections)[0])}/">{words[j]}'
                words[j + min(2, len(words) - 1 - j)] += "</a>"
                t = " ".join(words)
            out.append(f"<p>{t}</p>")
        return out

    # --- padding

    def _teasers(self, o: Outlet, a: Article) -> str:
        p = o.prefix
        section = self.rng.choice(o.sections)[0]
        cards = "".join(
            f'<li class="{p}card"><a class="{p}card__link" href="{x.path}"><img class="{p}card__img" '
            f'src="/{x.outlet}/img/{x.id}-320.jpg" alt="" width="320" height="180" loading="lazy">'
            f'<span class="{p}card__headline">{_text(x.headline)}</span></a><span class="{p}card__meta">'
            f'<time datetime="{x.published.isoformat()}">{_date_label(x.published)}</time> '
            f'<span class="{p}card__section">{_text(x.section)}</span></span></li>'
            for x in self._pick(o, self.rng.randint(6, 16), a, same_outlet=self.rng.random() < 0.7))
        return (f'<section class="{p}more-stories {p}rail--{slugify(section)}"><h2 class="{p}rail__title">More from '
                f'{_text(section)}</h2><ul class="{p}card-list">{cards}</ul></section>')

    def _state(self, o: Outlet, a: Article) -> str:
        items = [{"id": x.id, "headline": x.headline, "url": x.path, "section": x.section,
                  "published": x.published.isoformat(), "byline": x.author,
                  "image": {"src": f"/{x.outlet}/img/{x.id}-640.jpg", "width": 640, "height": 360}}
                 for x in self._pick(o, self.rng.randint(8, 24), a, same_outlet=False)]
        blob = json.dumps({"page": {"id": a.id, "type": "article"}, "recirculation": items}, separators=(",", ":"))
        return "<script>window.__PRELOADED_STATE__=" + blob.replace("</", "<\\/") + ";</script>"

    def _topics(self, o: Outlet) -> str:
        names = self.rng.sample(o.sections, min(len(o.sections), self.rng.randint(12, 30)))
        return (f'<nav class="{o.prefix}topics-nav" aria-label="Topics"><h3>Explore topics</h3><ul>' +
                "".join(f'<li><a href="/{o.id}/{slug}/">{_text(n)}</a></li>' for n, slug in names) + "</ul></nav>")

    def _pad(self, o: Outlet, a: Article, parts: list[str], at: int, scripts: list[str]) -> None:
        """Grow the page to a drawn size with more rails, topic lists and scripts."""
        rng = self.rng
        size = sum(map(len, parts)) + sum(map(len, scripts))
        target = rng.randint(34 * KB, 114 * KB)
        budget = 116 * KB
        markup = []
        while size < target:
            r = rng.random()
            chunk = (self._teasers(o, a) if r < 0.35 else self._state(o, a) if r < 0.55 else
                     self._topics(o) if r < 0.65 else f"<script>{rng.choice(self.scripts)}</script>")
            if size + len(chunk) > budget:
                break
            size += len(chunk)
            (scripts if chunk.startswith("<script") else markup).append(chunk)
        parts[at:at] = markup

    # --- pages

    def article(self, a: Article) -> str:
        o = self.outlets[a.outlet]
        # The same draws as at planning time, so the body follows on from the headline; a
        # syndicated copy has its source's seed and so its source's body.
        src = self.site.articles[a.syndicated_from - 1] if a.syndicated_from else a
        prose = _Prose(random.Random(a.seed), a.topic, self.outlets[src.outlet].name)
        for _ in range(a.draws):
            prose.headline()
        prose.standfirst()
        paras = prose.body()
        a.paragraphs = len(paras)
        a.words = sum(len(t.split()) for t in paras)
        image = f"/{o.id}/img/{a.id}-1.jpg"
        head = self._head(o, a, a.path, image)
        body = getattr(self, "_" + a.family)(o, a, prose, self._paras(o, paras))
        scripts = [f"<script>{s}</script>" for s in self.rng.sample(self.scripts, 3)]
        parts = [head, f'<body class="{o.prefix}page {o.prefix}page--article">', self._cookie(o), self._header(o),
                 *body, o.footer]
        self._pad(o, a, parts, len(parts) - 1, scripts)
        return "".join(parts + scripts + ["</body></html>"])

    def _byline(self, o: Outlet, a: Article, cls: str = "byline") -> str:
        return (f'<div class="{o.prefix}{cls}">By <a rel="author" href="/{o.id}/profile/{slugify(a.author)}">'
                f'{_text(a.author)}</a> <time datetime="{a.published.isoformat()}">{_date_label(a.published)}, '
                f'{a.published:%H:%M}</time></div>')

    def _classic(self, o, a, prose, paras):
        p = o.prefix
        return [f'<div class="{p}layout" id="main"><article class="{p}story" itemscope '
                f'itemtype="https://schema.org/NewsArticle"><header class="{p}story-header">'
                f'<a class="{p}kicker" href="/{o.id}/{slugify(a.section)}/">{_text(a.section)}</a>'
                f'<h1 class="{p}headline" itemprop="headline">{_text(a.headline)}</h1>'
                f'<p class="{p}standfirst">{_text(a.standfirst)}</p>{self._byline(o, a)}{self._share(o, a)}'
                f'{self._comments(o)}</header>{self._figure(o, a, prose, "lead-image")}'
                f'<div class="article-body" itemprop="articleBody">', *paras,
                f'</div><footer class="{p}story-footer">{self._tags(o, a, prose)}{self._share(o, a)}</footer></article>'
                f'<aside class="{p}sidebar">{self._most_read(o, a)}<div class="{p}ad-slot" id="ad-mpu-1"></div>'
                f"</aside></div>"]

    def _divsoup(self, o, a, prose, paras):
        p = o.prefix
        chunks, i = [], 0
        while i < len(paras):  # the body in runs of paragraphs with ad units between
            k = self.rng.randint(3, 6)
            chunks.append('<div class="txt">' + "".join(paras[i:i + k]) + "</div>")
            i += k
            if i < len(paras):
                chunks.append(f'<div class="clearfix"></div><div class="{p}adunit" id="ad-{i}">'
                              f'<div class="{p}ad-label">Advertisement</div></div>')
        return [f'<div id="wrapper"><div class="container"><div class="row"><div class="col col-8">'
                f'<div id="story-content"><div class="story-hd"><div class="crumbs"><a href="/{o.id}/">Home</a> &gt; '
                f'<a href="/{o.id}/{slugify(a.section)}/">{_text(a.section)}</a></div>'
                f'<h1 class="story-title">{_text(a.headline)}</h1><div class="meta-line"><span class="auth">'
                f'{_text(a.author)}</span> | <span class="dt">{_date_label(a.published)}</span> {self._comments(o)}'
                f'</div>{self._share(o, a)}</div><div class="story-bd"><div class="intro"><strong>'
                f'{_text(a.standfirst)}</strong></div>', *chunks,
                f'</div></div></div><div class="col col-4"><div class="{p}sidebar">{self._most_read(o, a)}'
                f'{self._related(o, a, "related-box")}</div></div></div></div></div>']

    def _sections(self, o, a, prose, paras):
        p = o.prefix
        blocks, i = [], 0
        heads = self.rng.sample(SUBHEADS, len(SUBHEADS))
        while i < len(paras):
            k = self.rng.randint(3, 6)
            h = f'<h2 class="article__subhead">{_text(heads.pop())}</h2>' if i else ""
            blocks.append(f'<section class="article__section">{h}' + "".join(paras[i:i + k]) + "</section>")
            i += k
        return [f'<main id="main" class="{p}article-main"><div class="article__header">'
                f'<span class="{p}article__label">{_text(a.section)}</span>'
                f'<h1 class="article__title">{_text(a.headline)}</h1>'
                f'<div class="article__summary">{_text(a.standfirst)}</div>{self._byline(o, a, "article__byline")}'
                f'{self._share(o, a)}</div><div class="article__content">', *blocks,
                f'</div><div class="{p}article__footer">{self._tags(o, a, prose)}{self._comments(o)}</div></main>'
                f'<aside class="{p}rail {p}sidebar">{self._most_read(o, a)}</aside>']

    def _magazine(self, o, a, prose, paras):
        p = o.prefix
        body = []
        for i, para in enumerate(paras):
            body.append(para)
            if i == 1:
                body.append(f'<div class="{p}ad-container ad-inline"><span class="{p}ad-label">Advertisement</span>'
                            f'<div id="div-ad-{a.id}-1"></div></div>')
            elif i == len(paras) // 2:
                body.append(self._related(o, a, "related-inline"))
            elif i in (3, len(paras) - 3):
                body.append(self._figure(o, a, prose, "wp-block-image"))
        return [f'<div class="{p}site"><div class="{p}content-area" id="main"><div class="{p}post-wrap">'
                f'<div class="{p}entry-header"><span class="{p}cat-links">{_text(a.section)}</span>'
                f'<h1 class="entry-title">{_text(a.headline)}</h1><div class="{p}entry-meta">'
                f'{self._byline(o, a, "posted-by")}{self._comments(o)}</div></div>'
                f'<div class="entry-content"><div class="{p}lede"><em>{_text(a.standfirst)}</em></div>', *body,
                f'</div>{self._share(o, a)}{self._tags(o, a, prose)}</div></div>'
                f'<div class="{p}widget-area {p}sidebar">{self._most_read(o, a)}</div></div>']

    def _blocks(self, o, a, prose, paras):
        p = o.prefix
        blocks = []
        for i, para in enumerate(paras):
            blocks.append(f'<div data-component="text-block" class="{p}ssr-text-block">{para}</div>')
            if i == 2:
                blocks.append(f'<div data-component="image-block">{self._figure(o, a, prose, "media")}</div>')
            elif i == len(paras) - 4:
                items = "".join(f'<li><a href="{x.path}">{_text(x.headline)}</a></li>' for x in self._pick(o, 3, a))
                blocks.append(f'<div data-component="links-block" class="{p}related-links"><h2>Related topics</h2>'
                              f"<ul>{items}</ul></div>")
        return [f'<div id="main" class="{p}main-wrapper"><div class="{p}grid"><article class="{p}article">'
                f'<header data-component="headline-block"><h1 id="main-heading">{_text(a.headline)}</h1></header>'
                f'<div data-component="byline-block" class="{p}byline-block">{self._byline(o, a)}</div>'
                f'<div data-component="text-block" class="{p}intro"><b>{_text(a.standfirst)}</b></div>', *blocks,
                f'<div data-component="tag-list">{self._tags(o, a, prose)}</div>{self._share(o, a)}</article>'
                f'<div class="{p}secondary-column">{self._most_read(o, a)}{self._comments(o)}</div></div></div>']

    # --- outlet pages: homepage, sections, info pages (small, so crawlers following nav links find pages)

    def _listing_page(self, o: Outlet, title: str, items: list[Article]) -> str:
        lis = "".join(f'<li><a href="{x.path}">{_text(x.headline)}</a> <time datetime="{x.published.isoformat()}">'
                      f"{_date_label(x.published)}</time></li>" for x in items)
        return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{_esc(title)} | '
                f'{_esc(o.name)}</title><link rel="alternate" type="application/rss+xml" href="/{o.id}/feed.xml">'
                f'<style>{o.css}</style></head><body>{self._header(o)}<main id="main"><h1>{_text(title)}</h1>'
                f'<ul class="{o.prefix}index-list">{lis}</ul></main>{o.footer}</body></html>')

    def outlet_pages(self, o: Outlet) -> dict[str, str]:
        arts = self.site.by_outlet[o.id]
        pages = {f"/{o.id}/": self._listing_page(o, o.name, arts[:40])}
        for name, slug in o.sections:
            items = [a for a in arts if a.section == name][:30] or arts[:30]
            pages[f"/{o.id}/{slug}/"] = self._listing_page(o, name, items)
        for name in FOOTER_LINKS:
            pages[f"/{o.id}/info/{slugify(name)}.html"] = self._listing_page(o, name, [])
        return pages

    def root(self) -> str:
        lis = "".join(f'<li><a href="/{o.id}/">{_text(o.name)}</a></li>' for o in self.site.outlets)
        return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Synthetic news web</title>'
                f"</head><body><h1>Outlets</h1><ul>{lis}</ul></body></html>")


# --- serving ----------------------------------------------------------------------------------------

NOT_FOUND = b"<!DOCTYPE html><title>Not found</title><h1>Page not found</h1>"


def _gzip_wanted(accept: str) -> bool:
    return "gzip" in accept and not re.search(r"gzip\s*;\s*q=0(\.0*)?\s*(,|$)", accept)


def _not_modified(headers, res: Resource) -> bool:
    inm = headers.get("If-None-Match")
    if inm is not None:
        return inm.strip() == "*" or res.etag in (t.strip().removeprefix("W/") for t in inm.split(","))
    ims = headers.get("If-Modified-Since")
    if ims:
        try:
            return parsedate_to_datetime(res.modified) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


class SynthWeb(FakeWeb):
    """A built site from memory, one thread per connection, kept alive between requests."""

    server_version = "SynthNews/1.0"
    keep_alive = True

    def __init__(self, site: Site, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host=host)
        self.site = site
        self.bind({"": port})
        self.base_url = self.origin()
        site.lookup("/robots.txt", self.base_url)  # render this origin's listings before the first request

    def answer(self, request: Request) -> Response:
        host = request.headers.get("Host") or self.base_url.removeprefix("http://")
        res = self.site.lookup(request.path, "http://" + host)
        if res is None:
            return Response(404, NOT_FOUND)
        extra = [("ETag", res.etag), ("Last-Modified", res.modified), ("Vary", "Accept-Encoding"),
                 ("Cache-Control", "max-age=60")]
        if _not_modified(request.headers, res):
            return Response(304, b"", None, extra)
        if _gzip_wanted(request.headers.get("Accept-Encoding", "")):
            return Response(200, res.gz, res.content_type, extra + [("Content-Encoding", "gzip")])
        return Response(200, res.body, res.content_type, extra)


def serve(site: Site, host: str = "127.0.0.1", port: int = 0) -> SynthWeb:
    """Serve ``site`` in a background thread; use as a context manager or call ``.stop()``."""
    return SynthWeb(site, host, port).start()


def _serve_fast(site: Site, hosts: list[str], delays: list[float], conn) -> None:
    import asyncio

    async def handle(reader, writer, delay: float):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target = (lines[0].split(" ") + ["", ""])[:2]
                headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
                if delay:
                    await asyncio.sleep(delay)
                res = site.lookup(target.split("?", 1)[0], "http://" + headers.get("host", ""))
                status, ctype, body, extra = "404 Not Found", "text/html", NOT_FOUND, ""
                if res is not None:
                    status, ctype, body = "200 OK", res.content_type, res.body
                    extra = f"ETag: {res.etag}\r\nLast-Modified: {res.modified}\r\n"
                    if headers.get("if-none-match") == res.etag:
                        status, body = "304 Not Modified", b""
                    elif _gzip_wanted(headers.get("accept-encoding", "")):
                        body, extra = res.gz, extra + "Content-Encoding: gzip\r\n"
                out = (f"HTTP/1.1 {status}\r\nDate: {formatdate(usegmt=True)}\r\nContent-Type: {ctype}\r\n"
                       f"Content-Length: {len(body)}\r\n{extra}\r\n").encode("latin-1")
                writer.write(out if method == "HEAD" else out + body)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main():
        bases = []
        for host, delay in zip(hosts, delays):
            server = await asyncio.start_server(lambda r, w, d=delay: handle(r, w, d), host, 0, backlog=512)
            bases.append(f"http://{host}:{server.sockets[0].getsockname()[1]}")
        for base in bases:
            site.lookup("/robots.txt", base)  # listings rendered for each origin before the first request
        conn.send(bases)
        await asyncio.Event().wait()

    asyncio.run(main())


def serve_fast(site: Site, hosts: list[str], delays: list[float] | None = None):
    """(process, base URLs): ``site`` served on each host (127.0.0.x: each outlet its own host,
    as on the real web) by a forked process of its own, on asyncio with pre-built bytes, so
    serving costs the crawler under test next to nothing and competes with it for no lock;
    with ``delays``, each host answers every request only after its delay (a slow site).
    Benchmarks use this rather than :class:`SynthWeb`, whose threads would cost as much as
    what they measure. Kill the process to stop it."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_serve_fast, args=(site, hosts, delays or [0.0] * len(hosts), child),
                          daemon=True)
    process.start()
    return process, parent.recv()


def write_watch(site: Site, bases: list[str], workdir: Path, keep_all: bool, workers: int = 0) -> Path:
    """``workdir/watch.toml``: every outlet of ``site`` as served at ``bases`` (one per outlet),
    with the default watch's topic and source, and politeness lifted for these loopback hosts."""
    default = tomllib.loads(newsmon_data.path("watch.toml").read_text(encoding="utf-8"))
    lines = ['[watch]', 'name = "synthetic"', '',
             # Politeness lifted for these loopback hosts only; real watches keep the defaults.
             '[crawl]', 'allow_private_addresses = true', 'download_delay = 0.0', 'autothrottle = false',
             'concurrent_requests_per_domain = 8', 'concurrent_requests = 32',
             f'max_articles_per_outlet = {len(site.articles) + 1}', f'keep_unrelated = {str(keep_all).lower()}',
             f'workers = {workers}', '',
             '[topic]', f'name = {_toml(default["topic"]["name"])}', '[topic.terms]']
    lines += [f"{_toml(term)} = {weight}" for term, weight in default["topic"]["terms"].items()]
    source = default["source"][0]
    lines += ['', '[[source]]', f'id = {_toml(source["id"])}',
              f'path = {_toml(str(newsmon_data.path(*source["path"].split("/")).resolve()))}',
              f'published = {_toml(source["published"])}']
    for outlet, base in zip(site.outlets, bases):
        host = base.split("//", 1)[1].split(":")[0]
        lines += ['', '[[outlet]]', f'id = "{outlet.id}"', f'name = {_toml(outlet.name)}',
                  f'homepage = "{base}/{outlet.id}/"', f'domains = ["{host}"]',
                  f'feeds = ["{base}/{outlet.id}/feed.xml"]', f'sitemaps = ["{base}/{outlet.id}/sitemap.xml"]']
    path = Path(workdir) / "watch.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml(value) -> str:
    return json.dumps(value)  # strings, numbers and booleans are spelled alike in TOML and JSON


# --- script -------------------------------------------------------------------------------------------

def stats(site: Site) -> dict:
    sizes = [len(site.files[a.path].body) for a in site.articles]
    words = [a.words for a in site.articles]
    gz = sum(len(site.files[a.path].gz) for a in site.articles)
    fams: dict[str, int] = {}
    topics: dict[str, int] = {}
    for a in site.articles:
        fams[a.family] = fams.get(a.family, 0) + 1
        topics[a.topic] = topics.get(a.topic, 0) + 1
    n = len(sizes) or 1
    return {"pages": len(sizes), "outlets": len(site.outlets), "build_seconds": round(site.build_seconds, 2),
            "html_kb_mean": round(sum(sizes) / n / KB, 1), "html_kb_min": round(min(sizes, default=0) / KB, 1),
            "html_kb_max": round(max(sizes, default=0) / KB, 1), "words_mean": round(sum(words) / n, 1),
            "words_min": min(words, default=0), "words_max": max(words, default=0),
            "html_mb_total": round(sum(sizes) / KB / KB, 1), "gzip_mb_total": round(gz / KB / KB, 1),
            "syndicated": sum(a.syndicated_from is not None for a in site.articles),
            "families": fams, "topics": topics}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--outlets", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stats", action="store_true", help="print sizes and word counts")
    parser.add_argument("--serve", action="store_true", help="serve until Ctrl-C")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    site = build_site(args.pages, args.outlets, args.seed)
    if args.stats or not args.serve:
        s = stats(site)
        print(f"{s['pages']} pages in {s['outlets']} outlets, built in {s['build_seconds']:.1f} s")
        print(f"HTML KB: mean {s['html_kb_mean']}, min {s['html_kb_min']}, max {s['html_kb_max']} "
              f"({s['html_mb_total']} MB, {s['gzip_mb_total']} MB gzipped)")
        print(f"body words: mean {s['words_mean']}, min {s['words_min']}, max {s['words_max']}")
        print(json.dumps(s))
    if args.serve:
        server = serve(site, args.host, args.port)
        print(server.base_url, flush=True)
        print(f"robots: {server.base_url}/robots.txt", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
