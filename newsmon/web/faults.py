"""A hostile local news web: real HTTP on 127.0.0.1, one resource per misbehaviour.

In the spirit of Scrapy's own test mock server. Three outlets, each its own server on a
free port (so each has its own robots.txt):

* ``main`` (Main Street Gazette): healthy articles rendered by ``synthetic`` under
  ``/news/<slug>.html``, a valid feed and sitemaps, and next to them every way a page can
  go wrong: 5xx and 429 answers, a stall, a drip, dropped connections, broken and
  bombing gzip, oversize bodies, redirect loops and chains, redirects to private
  addresses and to other schemes, non-HTML types, empty pages, a consent wall, a bot
  check, a JavaScript shell, a page of 30,000 links, broken markup, and pages whose
  charset is missing or lies. A broken feed, a sitemap that is an HTML page, and two
  sitemap indexes that list each other.
* ``trap``: a 2 MB robots.txt, a feed of 20,000 items and a sitemap bigger than the
  oversize limit, all pointing at 404s, and a page of 30,000 links.
* ``odd``: a robots.txt of binary garbage mixed with HTML, and a hand-made feed of two
  healthy articles after an item whose link is no web address.

``FaultWeb`` is a context manager: the servers are bound when it is constructed (so every
URL is known at once) and served from daemon threads between ``__enter__`` and
``__exit__``. Every request is recorded in ``requests`` before it is answered. Big bodies
(gzip bomb, oversize pages, huge listings) are built on first request and cached.

All prose here (articles, walls) was written for this module; the healthy articles of
``main`` and ``odd`` come from ``synthetic.build_site``.

    python -m newsmon.web.faults --serve
"""

from __future__ import annotations

import argparse
import html
import json
import random
import struct
import sys
import threading
import time
import zlib
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from typing import Callable
from urllib.parse import parse_qs

from newsmon.web import listings, synthetic
from newsmon.web.server import HOST, HTML as _HTML, RSS as _RSS, TEXT, XML as _XML, FakeWeb, Request, Response

_UTC = timezone.utc

OUTLET_NAMES = {"main": "Main Street Gazette", "trap": "Trapdoor Times", "odd": "Oddfellows Weekly"}


# --- prose (written for this module) ------------------------------------------------------------

ORCHARD = ("Volunteers bring the Quarry Lane orchard back to life after twenty years", "Hollie Brannagh", [
    "For most of the past twenty years the strip of ground behind the Quarry Lane allotments was a thicket of "
    "brambles, fallen branches and nettles taller than a child. On Saturday morning it looked more like a building "
    "site, as about forty volunteers in wellington boots dug planting holes, barrowed compost down the slope and set "
    "out the first of sixty young fruit trees.",
    "The idea came from a handful of plot holders who noticed last spring that some of the original trees were "
    "still alive under the undergrowth. A survey by a retired horticulture lecturer who rents a plot nearby found "
    "eleven apple trees, two pears and a single damson that had come through decades of neglect. Several of the "
    "apples turned out to be old local varieties that are now hard to find anywhere in the county.",
    '"We honestly had no idea what was in there," said Maureen Tolley, who chairs the allotment society. "Once we '
    "started cutting back the brambles we kept finding trunks, and then somebody spotted fruit on one of them in "
    'September. That was the moment we decided the orchard deserved a second chance."',
    "Rather than buying in common supermarket varieties, the group took cuttings from the surviving trees over the "
    "winter and had them grafted onto new rootstock by a specialist nursery. The young trees planted this weekend "
    "are therefore copies of the ones that grew on the site when it was first laid out, which the society believes "
    "was shortly after the quarry closed.",
    "The work has been paid for with a grant of 4,800 pounds from the town council's community fund, topped up by "
    "a plant sale and a quiz night at the cricket club. The money covered the trees, stakes, guards to keep rabbits "
    "away and a set of water butts fed from the roof of the old tool shed.",
    "Pupils from the primary school on Station Road have adopted one row of trees and will visit once a month to "
    "check on them, measure their growth and record which insects they find. Their teacher, Daniel Ockenden, said "
    "the children had already chosen names for every tree in their row and were arguing about which one would "
    "fruit first.",
    "Not everything has gone smoothly. A set of tools was stolen from the shed in February, and the lower end of "
    "the site stays waterlogged for much of the winter, so a drainage channel had to be dug before any planting "
    "could begin. Voles have also been blamed for damage to two of the older trunks.",
    "Volunteers will keep a watering rota through the summer, when young trees are most at risk of drying out. The "
    "society hopes to hold a small apple day in the autumn of next year, with juice pressing and identification of "
    "fruit brought in by residents, although it warns that the new trees may take three or four years to produce a "
    "proper crop.",
    "A council spokesperson said the orchard was a good example of residents taking care of a neglected corner of "
    "the town, and that the authority would consider similar grants for other community growing projects in the "
    "next financial year.",
])

CLOCK = ("Corn exchange clock strikes the hour again after a two-year restoration", "Priyanka Lomas", [
    "The clock above the old corn exchange struck noon on Tuesday for the first time since the winter before last, "
    "drawing a small crowd of shoppers and office workers who stopped on the square to listen. Some of them "
    "applauded when the twelfth stroke faded away.",
    "The clock stopped working when a corroded cable holding one of its weights snapped during a storm, sending the "
    "weight through a wooden floor inside the tower. Nobody was hurt, but an inspection found that the mechanism "
    "was badly worn after more than a century of use and that several parts could not simply be replaced from a "
    "catalogue.",
    "The repair was led by Geoffrey Amberley, a retired precision engineer who has looked after the clock as a "
    "volunteer for many years, with help from two apprentices at a machine shop on the industrial estate. They "
    "dismantled the movement piece by piece, cleaned every wheel by hand and made new bushes for the pivots that "
    "had worn oval. The work took far longer than anyone expected, because every part had to be measured, drawn "
    "and checked before anything new could be made.",
    '"The original makers built it to last, and it very nearly did," Mr Amberley said. "What wore it out was a '
    "hundred years of being wound a little too tightly and oiled with whatever was to hand. We have tried to put it "
    "back the way it was meant to be, so that it will still be running long after I have stopped climbing those "
    'stairs."',
    "Two of the wheels were too badly damaged to save. New ones were cut from brass by the apprentices, following "
    "drawings made from the broken originals, and a foundry in the next county cast a replacement for the cracked "
    "bracket that holds the bell hammer. The new cable is made of stainless steel and should not corrode in the "
    "damp air of the tower.",
    "The restoration cost just under thirty-one thousand pounds. Most of the money came from a heritage grant, with "
    "the rest raised by a raffle, a sponsored walk and donations left in a collection box in the library. The "
    "building's owners, a local trust, paid for repairing the floor and rewiring the lights in the clock room. Several local firms gave their time "
    "for nothing, among them a scaffolding company that put up a frame inside the tower at no charge.",
    "Some residents who live near the square have asked whether the bell will ring through the night. The trust "
    "said that a new silencing lever would stop the strike between eleven in the evening and seven in the morning, "
    "a feature the clock had when it was installed but which had been disconnected at some point in the last "
    "century.",
    "The clock still has to be wound by hand twice a week, a job that takes about twenty minutes and involves "
    "climbing a steep ladder. Mr Amberley is training three younger volunteers to take over the task, and the trust "
    "plans to hold open days in the summer when visitors can climb the tower and watch the mechanism at work.",
])

MARKET = ("Market traders count the cost \u2013 and the pennies \u2013 as pitch fees rise again", "Staff reporter", [
    "Traders on Kellsby\u2019s Thursday market say they are running out of ways to absorb rising costs after the "
    "council confirmed that pitch fees will go up again in April \u2013 the third increase in as many years. A "
    "standard pitch will cost \u00a338 a day, up from \u00a334, while a corner pitch with an electricity hook-up "
    "will cost \u00a352.",
    "\u201cWe\u2019re not asking for favours,\u201d said Zo\u00eb Marchetti, who has run a cheese stall at the "
    "market for eleven years. \u201cWe just want the council to understand that every extra pound comes straight "
    "out of what we take home \u2013 and on a wet Thursday in February, that isn\u2019t much.\u201d",
    "Ms Marchetti buys most of her stock from small producers in Normandy and Savoie and pays them in euros. She "
    "says the price of comt\u00e9 has climbed from about \u20ac14 to more than \u20ac19 a kilo in two years, and "
    "that shipping now adds another \u20ac1.85 a kilo on top. \u201cI\u2019ve already put my prices up twice,\u201d "
    "she said. \u201cCustomers notice. They don\u2019t complain much, but they buy a smaller piece.\u201d",
    "At the other end of the market, the caf\u00e9 run by Jos\u00e9 and In\u00eas Pereira from a converted horsebox "
    "has become something of a landmark. Mr Pereira said he had kept the price of a flat white at \u00a32.90 for as "
    "long as he could, but would have to charge \u00a33.20 from next month. \u201cPeople say, \u2018It\u2019s only "
    "thirty pence\u2019 \u2013 but thirty pence on every cup is the difference between staying and going,\u201d he "
    "said.",
    "The council says the increase is needed to cover the rising cost of cleaning, security and the temporary "
    "toilets that are brought in on market days. In a statement, it said the fees were still \u201cbelow the "
    "average for comparable markets in the region\u201d and that the money was \u201cring-fenced for the market "
    "and nothing else\u201d.",
    "A spokesperson added that the council had frozen fees during the pandemic and had offered new traders half "
    "price for their first three months \u2014 an offer it said had helped fill a dozen empty pitches last year. "
    "New traders will still be able to claim the discount after April.",
    "Not everyone is convinced. The Kellsby Market Traders\u2019 Association, which represents about forty "
    "stallholders, has asked for a meeting with the council\u2019s regeneration committee and wants the authority "
    "to publish a breakdown of what the fees pay for. Its secretary, Gr\u00e1inne O\u2019Neill, said members felt "
    "they were \u201cbeing treated as a cash machine rather than as the thing that brings people into the town "
    "centre\u201d.",
    "Shoppers interviewed on Thursday were broadly sympathetic. One regular, who buys fish and vegetables every "
    "week, said she would rather pay a little more at the stalls than see them disappear. \u201cIt\u2019s the only "
    "place left where people actually talk to you,\u201d she said. \u201cIf the market goes, the high street goes "
    "with it \u2013 I\u2019m sure of that.\u201d",
    "The new fees take effect on the first Thursday in April. The council\u2019s regeneration committee is due to "
    "discuss the traders\u2019 request at its next meeting, and Ms Marchetti said she would be in the public "
    "gallery \u2013 \u201cwith a very small piece of comt\u00e9, just in case\u201d.",
])

CHOIRS = ("Twin-town choirs fill St Anne's for the first festival in five years", "Staff reporter", [
    "Four visiting choirs from Kellsby's twin towns in Spain, Germany, France and Denmark joined two local groups on "
    "Saturday for a festival of song that packed St Anne's church and spilled out on to the green, where the "
    "concert was relayed on a screen for those who could not get a seat.",
    "It was the first time the festival had been held since the twinning association lost its funding five years "
    "ago. Tickets cost \u00a38, with children admitted free, and the organisers said every one of the 420 seats had "
    "been sold by Thursday.",
    "The Spanish choir travelled from Logro\u00f1o by coach and ferry, a journey of almost two days. Its conductor, "
    "Jos\u00e9 N\u00fa\u00f1ez, said the singers had been rehearsing a set of English folk songs since the autumn "
    'as a gift to their hosts. "Some of the words were very difficult for us," he said, laughing. "We practised '
    'one of them so many times that my wife now sings it while she cooks."',
    "From T\u00fcbingen came a chamber choir of twenty-two students led by J\u00fcrgen M\u00fcller, who performed "
    "a programme of part-songs. Mr M\u00fcller, who first visited Kellsby as a schoolboy on an exchange trip, said "
    'the town had barely changed. "The bakery is still there, and the lady behind the counter remembered me," he '
    'said. "That is the whole point of twinning, I think."',
    "The French visitors from Besan\u00e7on were the largest group, with almost fifty singers aged between nine and "
    "eighty-one. Their leader, Fran\u00e7oise Gar\u00e7on, said the choir had raised the money for the trip by "
    "holding a series of concerts in village halls around the valley over the winter.",
    "The Danish choir from \u00c5rhus closed the evening with a set of songs about the sea. Its conductor, "
    "S\u00f8ren M\u00f8ller, told the audience that his grandfather had worked on the boats that once crossed the "
    "North Sea to England, and that he had grown up hearing stories about the English coast. He dedicated the "
    "final song to him.",
    "Two local choirs, the Kellsby Community Singers and the girls' choir of the grammar school, opened the concert "
    "and joined the visitors for a shared finale. The organisers had asked every choir to learn the same short "
    "piece, set to words in all five languages, so that more than two hundred voices could sing together at the "
    "end.",
    "Zo\u00eb Hartley, who chairs the twinning association, said the festival had been planned on a shoestring by "
    "a handful of volunteers. Host families had put up most of the visiting singers, and a local brewery had lent "
    "a marquee for the reception afterwards, where the choirs swapped badges and addresses and promised to meet "
    "again.",
    "The association hopes to make the festival a regular event again, and has been invited to send a choir to "
    "Logro\u00f1o for the grape harvest celebrations next September. A collection taken on the night raised "
    "\u00a31,230 towards the cost of the trip. Mrs Hartley said any local singer who wanted to go should get in "
    "touch through the library.",
])

BAKERS = ("Bakers from three countries share their recipes at the Harwick food fair", "Staff reporter", [
    "Bakers from Poland, Hungary and Turkey drew long queues at the Harwick food fair on Sunday, where a tent "
    "devoted to \u201cbread from the places our neighbours grew up\u201d was, by the middle of the afternoon, the "
    "busiest spot on the showground.",
    "The tent was the idea of \u0141ukasz Wr\u00f3bel, who came to Harwick from \u0141\u00f3d\u017a twelve years "
    "ago and now runs a bakery on Mill Street. He said he had wanted to show that the town\u2019s newer residents "
    "brought more than their labour with them. \u201cBread is a conversation,\u201d he said. \u201cYou taste "
    "somebody\u2019s bread and you learn something about their grandmother.\u201d",
    "Mr Wr\u00f3bel\u2019s stall sold rye loaves, poppy-seed rolls and p\u0105czki filled with rose jam. He said "
    "he had baked through the night and still ran out of p\u0105czki before two o\u2019clock.",
    "Next door, Sz\u0151ke \u00d6d\u00f6n, a retired pastry chef from Gy\u0151r, showed visitors how to stretch "
    "strudel dough so thin that a newspaper can be read through it. He spoke mostly in Hungarian, with his "
    "granddaughter R\u00e9ka translating, and drew applause every time a sheet of dough reached the edges of the "
    "table without tearing. \u201cMy teacher said that if you make a hole, you start again,\u201d she translated. "
    "\u201cHe still believes that.\u201d",
    "The third stall was run by \u015eebnem K\u0131l\u0131\u00e7, who grew up in \u0130zmir and now teaches at a "
    "primary school in Harwick. She and her sister baked simit, the sesame-covered rings sold on street corners "
    "across Turkey, in a portable oven borrowed from a catering firm. Ms K\u0131l\u0131\u00e7 said the hardest "
    "part had been finding the right molasses to dip the rings in before the sesame goes on.",
    "The tent was paid for by a grant of \u20ac40,000 over two years from a European programme that supports "
    "cultural exchanges between regions. The money also covers a series of free evening baking classes at the "
    "community centre, to be led by the three bakers over the coming months.",
    "The fair\u2019s director, Ma\u0142gorzata Hughes, said the tent had worked better than anyone expected. "
    "\u201cWe wanted it to feel like a kitchen, not a museum,\u201d she said. \u201cPeople stood around, asked "
    "questions and argued about whose grandmother made the best cake. That is exactly what we hoped for.\u201d",
    "Visitors seemed to agree. One man who said he had lived in Harwick all his life admitted he had never eaten a "
    "p\u0105czek before and had now bought six. A group of teenagers spent most of the afternoon trying, and "
    "failing, to stretch strudel dough as thin as Mr Sz\u0151ke\u2019s.",
    "The organisers estimate that around nine thousand people came to the fair over the weekend, a record. The "
    "baking classes begin next month, and places can be booked at the library or the community centre. Mr "
    "Wr\u00f3bel said he was already planning next year\u2019s stall. \u201cNext time,\u201d he said, \u201cI "
    "will bring two ovens and much more rose jam.\u201d",
])

LIBRARY_JA = ("みどり野市立中央図書館、改修終え三年ぶりに全面再開", "地域報道部", [
    "みどり野市の市立中央図書館が、約三年にわたる改修工事を終え、今月一日に全面的に再開した。開館初日は午前九時の"
    "開場前から入り口に長い列ができ、家族連れや学生、地域の高齢者など、市の発表によると一日で約二千四百人が訪れた。",
    "同館は一九七八年に建てられ、建物の老朽化や耐震性の不足が以前から課題となっていた。市は二〇二一年度から総額約"
    "十八億円をかけて工事を進め、その間は駅前の仮設窓口で、予約した本の受け取りと返却のみを受け付けていた。",
    "改修後の館内では、一階の児童コーナーが以前の約二倍の広さになり、靴を脱いで座れる読み聞かせ用の小部屋も新しく"
    "設けられた。二階には無線ＬＡＮと電源を備えた学習席が百二十席用意され、中学生や高校生が放課後に利用できるよう、"
    "平日の閉館時間は午後七時から午後八時に延長された。",
    "また、地元の歴史に関する資料を集めた郷土資料室も一新された。古い地図や写真、昭和期の商店街の記録などを並べた"
    "展示棚が設けられ、職員による解説会も毎月第二土曜日に開かれる予定だ。市民から寄せられた古い写真の整理には、"
    "地元の高校の写真部も協力している。",
    "館長の山本和子さんは「長い間ご不便をおかけしたが、待っていてくださった皆さんに、新しい図書館を気軽に使って"
    "いただきたい」と話した。三人の子どもと訪れた市内の会社員の女性は「子どもたちが広いコーナーで楽しそうに本を"
    "選んでいて、これからは毎週通いたい」と笑顔を見せた。",
    "市は今後、利用者への聞き取り調査を行い、開館時間や蔵書の選び方について意見を集める方針だ。移動図書館車の巡回"
    "も来月から再開され、バスの本数が少ない郊外の地区にも、週に一回、本が届けられるようになる。",
])

CONSENT_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Before you continue</title>
<style>body{font-family:sans-serif;background:#eee}.wall{max-width:34em;margin:4em auto;background:#fff;padding:2em}</style>
</head><body><div class="wall" role="dialog" aria-labelledby="wall-title">
<h1 id="wall-title">Before you continue to Northgate Media</h1>
<p>We and our 147 partners use cookies and similar tools to store and read information on your device.
We use them to measure how our pages are used and to show you personalised adverts and content.</p>
<p>You can accept all of them, reject the ones that are not essential, or choose your own settings.
Your choice applies to every Northgate Media site and you can change it at any time.</p>
<form method="post" action="/consent/save">
<input type="hidden" name="return" value="/fault/consent">
<button type="submit" name="choice" value="accept">Accept all</button>
<button type="submit" name="choice" value="reject">Reject all</button>
</form>
<p><a href="/consent/settings">Manage settings</a> &middot; <a href="/privacy">Privacy notice</a></p>
</div></body></html>
"""

CHALLENGE_HTML = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="robots" content="noindex,nofollow">
<title>Just a moment...</title>
<style>body{font-family:system-ui;text-align:center;padding-top:15vh}.spin{width:2em;height:2em}</style>
</head><body>
<div class="check"><h1>{host}</h1>
<h2>Checking your browser before you reach {host}.</h2>
<p>This check happens automatically and should only take a few seconds.</p>
<noscript><p class="warn">Please enable JavaScript and cookies to continue.</p></noscript>
<div class="spin" aria-hidden="true"></div>
<p class="ref">Request reference: 5c1e0a9f2b7d44e8 &middot; Protected by GateKeep</p></div>
<script>(function(){var t=Date.now();var k=[104,117,109,97,110].map(function(c){return String.fromCharCode(c)}).join("");
document.cookie="gk_check="+k+"."+t+"; path=/; max-age=1800";
setTimeout(function(){location.reload()},4000);})();</script>
</body></html>
"""

JS_ONLY_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Ferry timetable changes announced for the summer season | Main Street Gazette</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body><noscript>You need to enable JavaScript to run this app.</noscript>
<div id="root"></div>
<script src="/static/app.js"></script>
</body></html>
"""

BLANK_HTML = "<!doctype html><html><head><title>Main Street Gazette</title></head><body></body></html>"

TRAP_ARTICLE = [
    "This page lists every story the Trapdoor Times has published since it first went online, one link per "
    "story, oldest first. We keep it for readers who want to browse the whole archive in one place.",
    "The list is long. If you are looking for something in particular, the search box at the top of every page "
    "will usually get you there faster.",
]

ERROR_PAGE = ("<!DOCTYPE html><html><head><title>{code} {reason}</title></head><body><h1>{code} {reason}</h1>"
              "<p>{text}</p><hr><address>FaultWeb</address></body></html>")

OVERSIZE_PARA = ("<p>Council notice: the committee met and received the minutes of its previous meeting, which were "
                 "agreed as a correct record. No declarations of interest were made and no questions had been "
                 "submitted by members of the public before the deadline.</p>\n")


# --- small builders ---------------------------------------------------------------------------------

def _esc(s: str) -> str:
    return html.escape(s, quote=False)


def _article_html(title: str, outlet: str, byline: str, published: datetime, paras: list[str], *,
                  lang: str = "en", head_extra: str = "", after: str = "") -> str:
    body = "\n".join(f"<p>{_esc(p)}</p>" for p in paras)
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>{head_extra}\n<title>{_esc(title)} | {_esc(outlet)}</title>\n'
            f'<meta property="og:title" content="{html.escape(title)}">\n'
            f'<meta property="article:published_time" content="{published.isoformat()}">\n</head>\n<body>\n'
            f'<header class="masthead"><a href="/">{_esc(outlet)}</a></header>\n<main>\n<article>\n'
            f"<h1>{_esc(title)}</h1>\n"
            f'<p class="byline">{_esc(byline)} &middot; <time datetime="{published.isoformat()}">'
            f"{published:%d %B %Y}</time></p>\n{body}\n</article>\n</main>\n{after}"
            f"<footer><p>&copy; {_esc(outlet)}</p></footer>\n</body>\n</html>\n")


def _gzip(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


def _pdf() -> bytes:
    text = b"BT /F1 18 Tf 72 720 Td (Harbour board annual report) Tj ET\n"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(text) + text + b"endstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _png(w: int = 8, h: int = 8) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"".join(bytes((x * 32, y * 32, 128)) for x in range(w)) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def _rss(outlet: str, link: str, entries: list[listings.Entry]) -> bytes:
    return listings.rss(OUTLET_NAMES[outlet], link, entries, language="en-gb").encode()


# --- the web --------------------------------------------------------------------------------------

Route = Callable[[Request], "Response | None"]


class FaultWeb(FakeWeb):
    """Three outlets of misbehaving resources on 127.0.0.1; see the module docstring."""

    server_version = "FaultWeb/1.0"

    def __init__(self, healthy=6, stall=10.0, bomb_mb=64, oversize_bytes=9 * 1024 * 1024, huge_feed_items=20000,
                 links=30000, robots_bytes=2 * 1024 * 1024, seed=1):
        self.n_healthy, self.stall, self.bomb_mb = healthy, stall, bomb_mb
        self.oversize_bytes, self.huge_feed_items = oversize_bytes, huge_feed_items
        self.links, self.robots_bytes, self.seed = links, robots_bytes, seed
        super().__init__(sites=OUTLET_NAMES)
        self.healthy: dict[str, list[str]] = {"main": [], "trap": [], "odd": []}
        self.faults: dict[str, str] = {}
        self.CHARSET_PHRASES: dict[str, list[str]] = {}
        self.outlets: list[dict] = []
        self._cache: dict[str, bytes] = {}
        self._cache_lock = threading.Lock()
        self._hits_429 = 0
        self._routes: dict[str, dict[str, Route]] = {oid: {} for oid in OUTLET_NAMES}
        self.bind()  # now: every URL is known before the pages that name them are built
        try:
            self._build()
        except BaseException:
            self.stop()
            raise

    # --- public

    def url(self, outlet: str, path: str) -> str:
        return self.origin(outlet) + path

    def count(self, path: str, outlet: str = "main") -> int:
        with self._lock:
            reqs = list(self.requests)
        if "?" in path:
            return sum(1 for o, p in reqs if o == outlet and p == path)
        return sum(1 for o, p in reqs if o == outlet and p.split("?", 1)[0] == path)

    # --- building

    def _build(self):
        n = self.n_healthy
        site = synthetic.build_site(pages=n + 4, outlets=1, seed=self.seed)
        arts = site.articles
        synth_outlet = site.outlets[0]
        new_path = {a.path: "/news/" + a.path.rsplit("/", 1)[1] for a in arts}

        def render(a, outlet, served_at=None):
            page = site.html(a)
            if served_at:  # its canonical and og:url name where it is really served
                page = page.replace(a.path, served_at)
            for old, new in new_path.items():
                page = page.replace(old, new)
            page = page.replace(synth_outlet.name, OUTLET_NAMES[outlet])
            page = page.replace(synth_outlet.name.removeprefix("The "), OUTLET_NAMES[outlet])
            return page.replace(f"/{synth_outlet.id}/", "/")

        base = datetime(2024, 12, 1, 9, tzinfo=_UTC)
        feed_items: list[listings.Entry] = []

        def add_item(title, path, desc=""):
            feed_items.append(listings.Entry(self.url("main", path), title, base - timedelta(hours=len(feed_items)),
                                             summary=desc))

        main_r, trap_r, odd_r = self._routes["main"], self._routes["trap"], self._routes["odd"]

        # main: healthy synthetic articles
        main_arts = arts[:n]
        for a in main_arts:
            path = new_path[a.path]
            main_r[path] = self._static(_HTML, render(a, "main").encode("utf-8"))
            self.healthy["main"].append(self.url("main", path))
            add_item(a.headline, path, a.standfirst)
        first_slug_path = new_path[main_arts[0].path] if main_arts else "/news/none.html"
        main_r["/"] = self._static(_HTML, self._homepage("main", [(a.headline, new_path[a.path]) for a in main_arts]))

        # main: article-level faults
        late_429 = render(arts[n], "main", served_at="/fault/429").encode("utf-8")
        gz_source = render(arts[n + 1], "main").encode("utf-8")
        gz_full = _gzip(gz_source)
        port = self.ports["main"]
        here = self.url("main", "")

        def fault(path, desc, fn, title=None, healthy=False):
            main_r[path.split("?", 1)[0]] = fn
            self.faults[self.url("main", path)] = desc
            add_item(title or f"Main Street Gazette: {path}", path)
            if healthy:
                self.healthy["main"].append(self.url("main", path))

        fault("/fault/500", "always 500 Internal Server Error", self._error(500))
        fault("/fault/503", "always 503 Service Unavailable with Retry-After: 1",
              self._error(503, [("Retry-After", "1")]))
        fault("/fault/429", "429 with Retry-After: 1 on the first request, then a healthy article",
              self._r429(late_429), title=arts[n].headline, healthy=True)
        fault("/fault/timeout", f"waits {self.stall:g} s before answering 200", self._timeout)
        fault("/fault/drip", "headers with Content-Length 60000 at once, then one byte every 0.5 s", self._drip)
        fault("/fault/drop", "reads the request and closes the connection without any response", self._drop)
        fault("/fault/drop-mid", "Content-Length 60000, then 2,000 bytes of HTML, then the connection closes",
              self._drop_mid(gz_source[:2000]))
        fault("/fault/truncated-gzip", "Content-Encoding: gzip, only the first 60% of the gzip stream",
              self._static(_HTML, gz_full[:int(len(gz_full) * 0.6)], [("Content-Encoding", "gzip")]))
        fault("/fault/corrupt-gzip", "Content-Encoding: gzip, gzip magic bytes then random garbage",
              self._static(_HTML, self._corrupt_gzip(), [("Content-Encoding", "gzip")]))
        fault("/fault/gzip-bomb", f"Content-Encoding: gzip, a valid stream of {self.bomb_mb} MB of spaces",
              self._lazy_static("bomb", _HTML, self._bomb, [("Content-Encoding", "gzip")]))
        fault("/fault/oversize", f"200 text/html of {self.oversize_bytes} bytes with Content-Length, streamed",
              self._oversize(True))
        fault("/fault/oversize-chunked", f"200 text/html of {self.oversize_bytes} bytes, no Content-Length, "
              "streamed then closed", self._oversize(False))
        fault("/fault/redirect-loop", "302 to itself",
              self._redirect(lambda q: self.url("main", "/fault/redirect-loop")))
        fault("/fault/redirect-chain?n=1", "302 to ?n=K+1, forever", self._redirect(self._chain_next))
        fault("/fault/redirect-private", "302 to http://169.254.169.254/latest/meta-data/",
              self._redirect(lambda q: "http://169.254.169.254/latest/meta-data/"))
        fault("/fault/redirect-private-name", f"302 to http://localhost:{port}{first_slug_path} (a private host name)",
              self._redirect(lambda q: f"http://localhost:{port}{first_slug_path}"))
        fault("/fault/redirect-file", "302 to file:///etc/passwd", self._redirect(lambda q: "file:///etc/passwd"))
        fault("/fault/redirect-ftp", "302 to ftp://127.0.0.1/pub/article.html",
              self._redirect(lambda q: "ftp://127.0.0.1/pub/article.html"))
        fault("/fault/redirect-broken", "302 to http://[x/ (no web address: an unclosed IPv6 bracket)",
              self._redirect(lambda q: "http://[x/"))
        fault("/fault/pdf", "200 application/pdf", self._static("application/pdf", _pdf()))
        fault("/fault/image", "200 image/png", self._static("image/png", _png()))
        fault("/fault/json", "200 application/json holding an API error object", self._static(
            "application/json", json.dumps({"error": {"code": "upstream_unavailable", "status": 502,
                                                      "message": "The content service did not answer in time."}},
                                           indent=2).encode()))
        fault("/fault/empty", "200 text/html with an empty body", self._static(_HTML, b""))
        fault("/fault/blank", "200 text/html: a document with an empty <body>", self._static(_HTML, BLANK_HTML.encode()))
        fault("/fault/consent", "200 text/html: a cookie consent wall", self._static(_HTML, CONSENT_HTML.encode()))
        fault("/fault/challenge", "200 text/html: a bot-check interstitial", self._static(
            _HTML, CHALLENGE_HTML.replace("{host}", f"{HOST}:{port}").encode()))
        fault("/fault/js-only", "200 text/html: a single-page-app shell with no text",
              self._static(_HTML, JS_ONLY_HTML.encode()))
        fault("/fault/many-links", f"a proper article followed by {self.links} links to 404 pages",
              self._lazy_static("many-links", _HTML, self._many_links), title=ORCHARD[0], healthy=True)
        fault("/fault/malformed", "a proper article in broken HTML, a NUL byte and invalid UTF-8 in a script",
              self._static(_HTML, self._malformed()), title=CLOCK[0], healthy=True)

        # main: charset pages
        for path, desc, ctype, body, story, phrases in self._charset_pages():
            fault(path, desc, self._static(ctype, body), title=story[0], healthy=True)
            self.CHARSET_PHRASES[self.url("main", path)] = phrases

        # main: listings
        main_r["/robots.txt"] = self._static(TEXT, listings.robots_txt(sitemaps=[here + "/sitemap.xml"]).encode())
        feed = _rss("main", here + "/", feed_items)
        main_r["/feed.xml"] = self._static(_RSS, feed)
        main_r["/feed-broken.xml"] = self._static(_RSS, feed[:len(feed) // 2])
        main_r["/sitemap.xml"] = self._static(_XML, listings.sitemap_index(
            [here + "/sitemap-pages.xml", here + "/sitemap-loop-a.xml"]).encode())
        main_r["/sitemap-pages.xml"] = self._static(_XML, listings.sitemap(
            [self.url("main", new_path[a.path]) for a in main_arts]).encode())
        main_r["/sitemap-loop-a.xml"] = self._static(_XML, listings.sitemap_index(
            [here + "/sitemap-loop-b.xml", here + "/sitemap-loop-a.xml"]).encode())
        main_r["/sitemap-loop-b.xml"] = self._static(_XML, listings.sitemap_index(
            [here + "/sitemap-loop-a.xml"]).encode())
        main_r["/sitemap-broken.xml"] = self._static(_XML, ERROR_PAGE.format(
            code=502, reason="Bad Gateway", text="The sitemap service is not available.").encode())
        self.faults.update({
            here + "/feed-broken.xml": "RSS cut off half way: malformed XML",
            here + "/sitemap-loop-a.xml": "sitemap index listing itself and sitemap-loop-b.xml",
            here + "/sitemap-loop-b.xml": "sitemap index listing sitemap-loop-a.xml",
            here + "/sitemap-broken.xml": "200 application/xml whose body is an HTML error page",
        })

        # trap
        there = self.url("trap", "")
        trap_r["/"] = self._static(_HTML, self._homepage("trap", [("The full archive", "/links.html")]))
        trap_r["/robots.txt"] = self._lazy_static("trap-robots", "text/plain; charset=utf-8", self._trap_robots)
        trap_r["/feed-huge.xml"] = self._lazy_static("trap-feed", _RSS, self._huge_feed)
        trap_r["/sitemap-huge.xml"] = self._lazy_static("trap-sitemap", _XML, self._huge_sitemap)
        trap_r["/links.html"] = self._lazy_static("trap-links", _HTML, self._trap_links)
        self.faults.update({
            there + "/robots.txt": f"robots.txt of about {self.robots_bytes} bytes of Disallow lines",
            there + "/feed-huge.xml": f"RSS of {self.huge_feed_items} items, all 404",
            there + "/sitemap-huge.xml": f"urlset bigger than {self.oversize_bytes} bytes, all 404",
            there + "/links.html": f"a short article followed by {self.links} links to 404 pages",
        })

        # odd
        odd_arts = arts[n + 2:n + 4]
        odd_items = []
        for i, a in enumerate(odd_arts):
            path = new_path[a.path]
            odd_r[path] = self._static(_HTML, render(a, "odd").encode("utf-8"))
            self.healthy["odd"].append(self.url("odd", path))
            odd_items.append(listings.Entry(self.url("odd", path), a.headline, base - timedelta(hours=i),
                                            summary=a.standfirst))
        odd_r["/"] = self._static(_HTML, self._homepage("odd", [(a.headline, new_path[a.path]) for a in odd_arts]))
        # (hand-made: its first item's link is no web address, and a title has HTML's &eacute; and a bare &)
        odd_feed = _rss("odd", self.url("odd", "/"), odd_items).replace(
            b"<item>", b"<item><title>Caf&eacute; & bar</title><link>http://[x/</link></item><item>", 1)
        odd_r["/feed.xml"] = self._static(_RSS, odd_feed)
        odd_r["/robots.txt"] = self._static("text/plain", self._odd_robots())
        self.faults[self.url("odd", "/robots.txt")] = "200 text/plain robots.txt of binary garbage mixed with HTML"
        self.faults[self.url("odd", "/feed.xml")] = ("RSS whose first item's link is no web address (http://[x/), "
                                                     "its title HTML's &eacute; and a bare &; then two healthy items")

        self.outlets = [
            {"id": "main", "name": OUTLET_NAMES["main"], "homepage": here + "/",
             "feeds": [here + "/feed.xml", here + "/feed-broken.xml"],
             "sitemaps": [here + "/sitemap.xml", here + "/sitemap-broken.xml"]},
            {"id": "trap", "name": OUTLET_NAMES["trap"], "homepage": there + "/",
             "feeds": [there + "/feed-huge.xml"], "sitemaps": [there + "/sitemap-huge.xml"]},
            {"id": "odd", "name": OUTLET_NAMES["odd"], "homepage": self.url("odd", "/"),
             "feeds": [self.url("odd", "/feed.xml")], "sitemaps": []},
        ]

    def _homepage(self, outlet: str, links: list[tuple[str, str]]) -> bytes:
        name = _esc(OUTLET_NAMES[outlet])
        items = "".join(f'<li><a href="{html.escape(p)}">{_esc(t)}</a></li>\n' for t, p in links)
        return (f"<!DOCTYPE html><html lang=\"en\"><head><title>{name}</title></head><body>"
                f"<header><h1>{name}</h1></header><main><h2>Latest</h2><ul>\n{items}</ul></main></body></html>\n"
                ).encode()

    def _charset_pages(self):
        when = datetime(2024, 11, 20, 8, tzinfo=_UTC)
        name = OUTLET_NAMES["main"]
        cp = _article_html(MARKET[0], name, MARKET[1], when, MARKET[2]).encode("cp1252")
        latin = _article_html(CHOIRS[0], name, CHOIRS[1], when, CHOIRS[2]).encode("latin-1")
        bom = b"\xef\xbb\xbf" + _article_html(BAKERS[0], name, BAKERS[1], when, BAKERS[2]).encode("utf-8")
        meta = '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
        sjis = _article_html(LIBRARY_JA[0], "メインストリート新聞", LIBRARY_JA[1], when, LIBRARY_JA[2], lang="ja",
                             head_extra=meta).encode("shift_jis")
        return [
            ("/charset/cp1252", "cp1252 bytes as text/html with no charset anywhere", "text/html", cp, MARKET,
             ["\u201cWe\u2019re not asking for favours,\u201d", "Zo\u00eb Marchetti", "\u20ac1.85 a kilo",
              "Gr\u00e1inne O\u2019Neill", "three months \u2014 an offer"]),
            ("/charset/latin1", "latin-1 bytes served as charset=utf-8 (a lie), no meta", _HTML, latin, CHOIRS,
             ["Jos\u00e9 N\u00fa\u00f1ez", "J\u00fcrgen M\u00fcller", "Fran\u00e7oise Gar\u00e7on",
              "S\u00f8ren M\u00f8ller", "\u00a31,230"]),
            ("/charset/utf8-bom", "UTF-8 with a BOM served as charset=iso-8859-1 (a lie)",
             "text/html; charset=iso-8859-1", bom, BAKERS,
             ["\u0141ukasz Wr\u00f3bel", "Sz\u0151ke \u00d6d\u00f6n", "\u015eebnem K\u0131l\u0131\u00e7",
              "\u201cBread is a conversation,\u201d", "\u20ac40,000"]),
            ("/charset/shift-jis", "Shift_JIS bytes, text/html with no charset, charset only in a meta tag",
             "text/html", sjis, LIBRARY_JA,
             ["みどり野市の市立中央図書館", "郷土資料室", "移動図書館車", "館長の山本和子さん"]),
        ]

    def _malformed(self) -> bytes:
        title, byline, paras = CLOCK
        p = [_esc(x) for x in paras]
        # Broken on purpose: unclosed <p> and <div>, a stray </html> mid-document, mis-nested
        # <b><i></b></i>, a NUL byte and invalid UTF-8 in a script. No unterminated comment.
        doc = (
            "<!DOCTYPE html>\n<html><head><title>" + _esc(title) + " | Main Street Gazette</title>\n"
            "<meta charset=utf-8><script>var cfg = {id: 'MSG-41', flag: '@NUL@', raw: '@BAD@'};</script>\n"
            "<body><div class=page><div class=story>\n<h1>" + _esc(title) + "\n"
            "<p class=byline>By <b><i>" + byline + "</b></i>, Main Street Gazette\n"
            "<div class=body>\n<p>" + p[0] + "\n<p>" + p[1] + "\n<p>" + p[2] + "\n"
            "<p>" + p[3] + "\n<div class=aside><p>" + p[4] + "</div>\n<p>" + p[5] + "\n"
            "<p><b>" + p[6] + "</i></b>\n</html>\n<p>" + p[7] + "\n"
            "<ul class=tags><li>Heritage<li>Town centre</ul>\n"
            "<footer><p>&copy; Main Street Gazette</footer>\n"
        )
        raw = doc.encode("utf-8")
        return raw.replace(b"@NUL@", b"\x00").replace(b"@BAD@", b"\xff\xfe\xc3\x28\x80")

    def _many_links(self) -> bytes:
        title, byline, paras = ORCHARD
        links = "".join(f'<li><a href="/archive/{i}.html">Archive page {i}</a></li>\n' for i in range(1, self.links + 1))
        after = f'<footer class="archive-links"><h2>From the archive</h2><ul>\n{links}</ul></footer>\n'
        return _article_html(title, OUTLET_NAMES["main"], byline, datetime(2024, 11, 28, 7, tzinfo=_UTC), paras,
                             after=after).encode("utf-8")

    def _trap_links(self) -> bytes:
        links = "".join(f'<li><a href="/item/{i}.html">Trapdoor Times story {i}</a></li>\n' for i in range(1, self.links + 1))
        after = f'<section class="archive"><ul>\n{links}</ul></section>\n'
        return _article_html("The complete archive", OUTLET_NAMES["trap"], "The archive desk",
                             datetime(2024, 11, 1, tzinfo=_UTC), TRAP_ARTICLE, after=after).encode("utf-8")

    def _trap_robots(self) -> bytes:
        out = ["User-agent: *\n"]
        size, i = len(out[0]) + len("Allow: /\n"), 1
        while size < self.robots_bytes:
            line = f"Disallow: /private/{i}/\n"
            out.append(line)
            size += len(line)
            i += 1
        out.append("Allow: /\n")
        return "".join(out).encode()

    def _huge_feed(self) -> bytes:
        base = datetime(2024, 12, 1, tzinfo=_UTC)
        items = [listings.Entry(self.url("trap", f"/item/{i}.html"), f"Trapdoor story number {i}",
                                base - timedelta(minutes=i)) for i in range(1, self.huge_feed_items + 1)]
        return _rss("trap", self.url("trap", "/"), items)

    def _huge_sitemap(self) -> bytes:
        prefix, urls, size = self.url("trap", "/item/"), [], 0
        while size <= self.oversize_bytes:  # counting what each URL's entry takes at least
            urls.append(f"{prefix}{len(urls) + 1}.html")
            size += len(f"<url><loc>{urls[-1]}</loc></url>")
        return listings.sitemap(urls).encode()

    def _odd_robots(self) -> bytes:
        rng = random.Random(self.seed * 7919 + 3)
        junk = bytes(rng.getrandbits(8) for _ in range(700))
        page = ERROR_PAGE.format(code=200, reason="OK", text="Welcome to Oddfellows Weekly.").encode()
        return b"\x00\x01PK\x03\x04" + junk[:300] + b"\nUser-agent: *\n\xff\xfe" + page + junk[300:] + b"\nDisallow:"

    def _corrupt_gzip(self) -> bytes:
        rng = random.Random(self.seed * 104729 + 11)
        # gzip header, then a deflate block header of the reserved (invalid) type, then noise
        return b"\x1f\x8b\x08\x00" + bytes(rng.getrandbits(8) for _ in range(6)) + b"\x07" + \
            bytes(rng.getrandbits(8) for _ in range(4096))

    def _bomb(self) -> bytes:
        head = b"<!DOCTYPE html><html><head><title>Latest news</title></head><body><p>"
        tail = b"</p></body></html>\n"
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        out = [c.compress(head)]
        block = b" " * (1024 * 1024)
        for _ in range(self.bomb_mb):
            out.append(c.compress(block))
        out.append(c.compress(tail))
        out.append(c.flush())
        return b"".join(out)

    def _oversize_body(self) -> bytes:
        head = (b"<!DOCTYPE html><html><head><title>Every council notice ever published | Main Street Gazette"
                b"</title></head><body><main><h1>Council notices</h1>\n")
        tail = b"</main></body></html>\n"
        para = OVERSIZE_PARA.encode()
        room = self.oversize_bytes - len(head) - len(tail)
        if room < 0:
            return (head + tail)[:self.oversize_bytes]
        k, rest = divmod(room, len(para))
        return head + para * k + b" " * rest + tail

    # --- responses

    def answer(self, request: Request) -> Response | None:
        route = self._routes[request.site].get(request.path)
        if route is None:
            return Response(404, ERROR_PAGE.format(code=404, reason="Not Found", text="No such page."))
        return route(request)

    def _cached(self, key: str, build: Callable[[], bytes]) -> bytes:
        with self._cache_lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]

    @staticmethod
    def _static(ctype: str | None, body: bytes, extra=(), status: int = 200) -> Route:
        return lambda request: Response(status, body, ctype, list(extra))

    def _lazy_static(self, key: str, ctype: str, build: Callable[[], bytes], extra=()) -> Route:
        return lambda request: Response(200, self._cached(key, build), ctype, list(extra))

    def _error(self, status: int, extra=()) -> Route:
        reason = BaseHTTPRequestHandler.responses[status][0]
        body = ERROR_PAGE.format(code=status, reason=reason, text="Please try again later.").encode()
        return self._static(_HTML, body, extra, status)

    def _r429(self, page: bytes) -> Route:
        too_many = ERROR_PAGE.format(code=429, reason="Too Many Requests", text="Slow down.").encode()

        def route(request):
            with self._lock:
                self._hits_429 += 1
                first = self._hits_429 == 1
            if first:
                return Response(429, too_many, _HTML, [("Retry-After", "1")])
            return Response(200, page, _HTML)
        return route

    def _timeout(self, request) -> Response | None:
        if self.wait(self.stall):
            return None
        return Response(200, ERROR_PAGE.format(code=200, reason="OK", text="Sorry for the wait."))

    @staticmethod
    def _drip(request) -> Response:
        drops = b"<!DOCTYPE html><html><body><p>" + b"." * 60000
        return Response(200, (drops[i:i + 1] for i in range(60000)), _HTML, length=60000, pause=0.5)

    @staticmethod
    def _drop(request) -> None:
        return None  # the request has been read; closing without a word

    @staticmethod
    def _drop_mid(part: bytes) -> Route:
        return lambda request: Response(200, part, _HTML, length=60000)

    def _oversize(self, with_length: bool) -> Route:
        def route(request):
            body = memoryview(self._cached("oversize", self._oversize_body))
            chunks = (body[i:i + 64 * 1024] for i in range(0, len(body), 64 * 1024))
            return Response(200, chunks, _HTML, length=len(body) if with_length else None)
        return route

    def _redirect(self, target: Callable[[str], str]) -> Route:
        def route(request):
            loc = target(request.query)
            body = f'<!DOCTYPE html><html><body><a href="{html.escape(loc)}">Moved</a></body></html>'.encode()
            return Response(302, body, _HTML, [("Location", loc)])
        return route

    def _chain_next(self, query: str) -> str:
        try:
            n = int(parse_qs(query).get("n", ["1"])[0])
        except ValueError:
            n = 1
        return self.url("main", f"/fault/redirect-chain?n={n + 1}")


# --- script ----------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="serve until Ctrl-C")
    parser.add_argument("--healthy", type=int, default=6)
    parser.add_argument("--stall", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not args.serve:
        parser.print_help()
        return 0
    with FaultWeb(healthy=args.healthy, stall=args.stall, seed=args.seed) as web:
        for o in web.outlets:
            print(f"{o['id']} ({o['name']}): {o['homepage']}")
            for u in o["feeds"]:
                print(f"  feed    {u}")
            for u in o["sitemaps"]:
                print(f"  sitemap {u}")
        print(f"{len(web.faults)} fault resources, {sum(map(len, web.healthy.values()))} healthy articles; "
              "Ctrl-C stops", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
