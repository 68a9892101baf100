"""Every tuning value of a newsmon crawl, in one place.

Scrapy settings keep Scrapy's names; newsmon's own carry the NEWSMON_ prefix.
A watch file may override the few values listed in ``WATCH_OVERRIDABLE``
(the demo, for instance, turns the politeness delays down for 127.0.0.1).
"""

BOT_NAME = "newsmon"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- identity and politeness -------------------------------------------------
USER_AGENT = "newsmon/0.1 (+https://github.com/newsmon/newsmon; news coverage research)"
ROBOTSTXT_OBEY = True
# One outlet is one host: be gentle with each, busy across many.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# --- limits --------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
# News pages are rarely over a few MB; anything bigger is a trap or not an article.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A request given up is counted in the crawl's errors; the log need not shout about it.
# The spider's errback logs the outcome in one line (crawler/outcomes.py): Scrapy's own
# give-up line would say it twice.
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
# A 429 or 503 with Retry-After is retried after the wait asked for, up to this many
# seconds; a longer wait gives up for this crawl (the next crawl tries again).
NEWSMON_RETRY_AFTER_MAX = 120
# Google reads the first 500 KiB of a robots.txt; newsmon too (a huge one is a trap).
ROBOTSTXT_PARSER = "crawler.robots.CappedRobotParser"
# How much of a robots.txt is read (500 KiB, as Google).
NEWSMON_ROBOTSTXT_MAX_BYTES = 500 * 1024
# Sitemap indexes nest; deeper than this is a trap.
NEWSMON_MAX_SITEMAP_DEPTH = 3
# Scrapy's default of 100 starts ~100 tasks per response; 8 measured twice as fast here.
CONCURRENT_ITEMS = 8
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
LOG_FORMATTER = "crawler.logformatter.NewsLogFormatter"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

# --- components -----------------------------------------------------------------
# Names that resolve to private, loopback or link-local addresses are refused, unless the
# watch allows private addresses (crawler/resolver.py).
TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt (100) so refused URLs are never even asked about.
    "crawler.middlewares.SafetyGuardMiddleware": 50,
    # Scrapy's, with one line instead of a traceback when a robots.txt cannot be fetched.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.RobotsMiddleware": 100,
    # Scrapy's retry, honouring Retry-After.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    # Scrapy's decompression, refusing cut gzip streams.
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.CompressionCheckMiddleware": 590,
    # Sees redirects before Scrapy's redirect middleware (600): loops and non-http targets.
    "crawler.middlewares.RedirectGuardMiddleware": 650,
}
EXTENSIONS = {"crawler.middlewares.DownloadLimits": 500}
# Pipeline order is the data flow: clean -> relevance -> dedup -> compare -> store.
# Clean, label, key and compare in worker processes (pipelines.page via crawler.workers);
# then store, in the crawl's process, where the archive is.
ITEM_PIPELINES = {
    "crawler.workers.WorkPipeline": 100,
    "crawler.store.StorePipeline": 500,
}

# --- newsmon: worker processes -----------------------------------------------------------
# Processes that clean pages (0: one per core). Downloads go on while they work.
NEWSMON_WORKERS = 0
# CPU seconds one page may take to process; past it the page is dropped and counted (and
# the crawl's listings read again next time, so it is retried). CPU time, not the wall
# clock: on a loaded machine a worker (below the crawl's priority) waits for a core, and
# 30 s of waiting dropped healthy pages.
NEWSMON_PAGE_TIME_LIMIT = 30.0
# A worker is replaced after this many pages: trafilatura's caches grow over long runs.
NEWSMON_WORKER_MAX_PAGES = 500

# --- newsmon: discovery ------------------------------------------------------------
# How many links deep to follow from a source article's page.
NEWSMON_SOURCE_LINK_DEPTH = 1
# Per outlet, how many article URLs one crawl may request at most.
NEWSMON_MAX_ARTICLES_PER_OUTLET = 500

# --- newsmon: search engines and archives (issue: coverage feeds miss) -------------------
# Engines asked each source's queries (pipelines/queries.py): "gdelt", "google-news". None
# by default; a watch turns them on with [crawl] search = ["gdelt", "google-news"].
NEWSMON_SEARCH = []
# The days searched around a source's publication (no date: the last DAYS_AFTER days).
NEWSMON_SEARCH_DAYS_BEFORE = 7
NEWSMON_SEARCH_DAYS_AFTER = 30
# The services' addresses (a watch may point them at a mirror) and Google News' edition.
NEWSMON_GDELT_URL = "https://api.gdeltproject.org/api/v2/doc/doc"
# GDELT's DOC API reaches back this many days (a rolling window) and answers at most
# MAX_RECORDS rows: a range that fills them is split in two, down to MIN_SPLIT_HOURS.
NEWSMON_GDELT_WINDOW_DAYS = 90
NEWSMON_GDELT_MAX_RECORDS = 250
NEWSMON_GDELT_MIN_SPLIT_HOURS = 1
# The services' addresses (a watch may point them at a mirror) and Google News' edition.
NEWSMON_GOOGLE_NEWS_URL = "https://news.google.com/rss/search"
# The services' addresses (a watch may point them at a mirror) and Google News' edition.
NEWSMON_GOOGLE_NEWS_LOCALE = "hl=en-GB&gl=GB&ceid=GB:en"
# The Wayback Machine: its CDX index and its replay (`newsmon backfill`).
NEWSMON_WAYBACK_CDX_URL = "https://web.archive.org/cdx/search/cdx"
NEWSMON_WAYBACK_URL = "https://web.archive.org/web/"
# CDX rows asked for per outlet, and the score a captured URL's words must reach to be
# fetched: a point per key term of the sources, two per topic phrase held whole
# (URLs of news articles carry their headline's words; pipelines/links.py).
NEWSMON_BACKFILL_MAX_CAPTURES = 5000
# Set by `newsmon backfill` ({"since": "YYYYMMDD", "until": "YYYYMMDD"}): the crawl then asks
# the Wayback Machine only.
NEWSMON_BACKFILL = {}
NEWSMON_BACKFILL_MIN_URL_TERMS = 2
# Seconds between requests to each service (GDELT asks for one every 5 seconds), one at a
# time: each service is its own download slot (Scrapy's DOWNLOAD_SLOTS, built from these).
NEWSMON_GDELT_DELAY = 5.0
# Seconds between requests to each service (each is its own download slot).
NEWSMON_GOOGLE_NEWS_DELAY = 2.0
# Seconds between requests to each service (each is its own download slot).
NEWSMON_WAYBACK_DELAY = 1.0
# Focused link following: from same-story articles, links whose anchor and URL words score
# at least MIN_TERMS (scored as for backfill) are followed, best first, LINKS_PER_PAGE at
# most per page, FOLLOW_DEPTH links deep (0: never). The source's own cited links are
# followed NEWSMON_SOURCE_LINK_DEPTH deep.
NEWSMON_FOLLOW_DEPTH = 1
NEWSMON_FOLLOW_MIN_TERMS = 2
NEWSMON_FOLLOW_LINKS_PER_PAGE = 10

# --- newsmon: distributed crawling (crawler/distributed.py) ------------------------------
# A Redis URL turns on distributed mode (scrapy-redis's shared queue and duplicate filter;
# `newsmon crawl --redis URL`, or redis = "..." in a watch's [crawl]). Empty: one machine.
NEWSMON_REDIS_URL = ""
# Set per process: "coordinator" (next to the archive) or "worker"; and its id.
NEWSMON_REDIS_ROLE = ""
NEWSMON_REDIS_WORKER_ID = ""
# Seconds a request's fingerprint counts as seen in the shared filter (then a page may be
# fetched again, for revisions); under the recheck ladder's shortest interval.
NEWSMON_REDIS_SEEN_TTL = 3600
# Seconds a crawler waits with no work anywhere (shared queue empty, nothing in flight)
# before it closes.
NEWSMON_REDIS_IDLE = 10.0
# Seconds between a crawler's heartbeats; one silent for four is dead, and the requests it
# had in flight go back to the shared queue.
NEWSMON_REDIS_HEARTBEAT = 5.0
# Requests a crawler takes ahead of what its politeness lets it send (waiting in its
# download slots): more would be held from crawlers that could fetch them now.
NEWSMON_REDIS_MAX_WAITING = 4
# Seconds a crawler or the writer waits for a Redis that went away (restarting, a network
# blip) before it stops with one line, its run recorded as interrupted; back in time, the
# crawl goes on where it was (a Redis that keeps its data on disk: appendonly or save).
NEWSMON_REDIS_OUTAGE_WAIT = 60.0
# The crawlers of a distributed crawl keep each outlet's DOWNLOAD_DELAY and
# CONCURRENT_REQUESTS_PER_DOMAIN together, through Redis (crawler/politeness.py), and a
# 429/503 with Retry-After holds them all: N crawlers ask an outlet no more often than one.
# Measured (benchmarks/politeness.py): four crawlers, DOWNLOAD_DELAY 1, one outlet.
NEWSMON_REDIS_SHARED_POLITENESS = True
# Set from the watch: the Redis keys are the watch's.
NEWSMON_WATCH_NAME = ""  # set from the watch: the Redis keys are the watch's

# --- newsmon: safety ------------------------------------------------------------------
# Schemes ever fetched (http, https).
NEWSMON_ALLOWED_SCHEMES = ["http", "https"]
# Loopback/private/link-local hosts are refused unless the watch allows them (demo, tests).
NEWSMON_ALLOW_PRIVATE_ADDRESSES = False
# ... or just these hosts ("intranet.example", "127.0.0.1:8080"), even though private.
NEWSMON_PRIVATE_HOSTS = []
# Article requests whose Content-Type is plainly not a page are stopped at the headers.
NEWSMON_NOT_PAGE_TYPES = ["application/pdf", "image/", "video/", "audio/", "font/", "application/zip",
                          "application/octet-stream", "application/json"]

# --- newsmon: clean stage ----------------------------------------------------------------
# A page whose extracted body is shorter than this is not an article (an empty shell). Short
# news (a 50-120 word breaking item) is kept: other refusals need evidence (teasers, a
# declared page type, wall or error markers; pipelines/refusal.py), measured on real pages.
NEWSMON_MIN_ARTICLE_WORDS = 40
# trafilatura's precision mode drops more boilerplate (related links, promos) on news pages.
NEWSMON_TRAFILATURA_FAVOR_PRECISION = True

# --- newsmon: relevance and comparison ---------------------------------------------
# A story is `same_story` when its same-story score against a source reaches this: the
# probability (pipelines/samestory.py) that it reports the source's event, its model's cut
# chosen on real labelled pairs (benchmarks/train_samestory.py, benchmarks/samestory.py);
# otherwise `related` when its topic score (topic-term density) reaches the next value,
# chosen on the labelled set in tests/data/relevance (benchmarks/relevance.py).
NEWSMON_RELEVANCE_SAME_STORY = 0.5
NEWSMON_RELEVANCE_TOPIC = 3.0
# Store unrelated pages too (labelled), for users who archive whole outlets.
NEWSMON_KEEP_UNRELATED = False
# Loaded and framing terms compared between story and source; edit the file freely.
NEWSMON_FRAMING_LEXICON = "data/framing.toml"

# --- newsmon: near-duplicates and copies -----------------------------------------------
# MinHash over word shingles; LSH with BANDS bands of PERMUTATIONS/BANDS rows each finds
# candidates (64 x 2: pairs resembling 25% or more are found 98% of the time, 10% about
# half the time; a wire brief of a long story's first paragraphs resembles it little).
# Each story's opening (first 80 words) has band keys of its own too: a brief keeps it.
# A candidate is a copy when at least COVERAGE of the shorter text's own sentences (not
# quotations, not first-person text) are found in the other, and the other has most of
# its subjects (pipelines/dedup.py: copy_coverage). An archive keeps the layout (SHINGLE,
# PERMUTATIONS, BANDS) it was made with whatever settings open it; `newsmon dedup
# --rebuild` cuts it again with the settings' layout.
NEWSMON_DEDUP_SHINGLE = 5
NEWSMON_DEDUP_PERMUTATIONS = 128
NEWSMON_DEDUP_BANDS = 64
# Chosen on the dev split of real republished news (benchmarks/wirecopies.py).
NEWSMON_DEDUP_COVERAGE = 0.65
# When a known article is fetched again to look for edits: (while younger than, every),
# in hours, by its publication date; older than the last rung, never. An empty ladder
# rechecks on every crawl (the demo, which edits an article between two crawls).
NEWSMON_RECHECK_LADDER = [[24, 1], [24 * 7, 6], [24 * 30, 24]]
# A feed or sitemap that fails is not dropped: it is skipped for BASE seconds after its
# first failure, doubling with each failure in a row, at most MAX.
NEWSMON_LISTING_BACKOFF_BASE = 15 * 60
NEWSMON_LISTING_BACKOFF_MAX = 24 * 3600

# --- newsmon: store stage -------------------------------------------------------------------
# Pages written per transaction: one insert per item costs ~8 ms more per page than 100.
NEWSMON_STORE_BATCH_SIZE = 100
# ... or fewer, once the first page waiting is this many seconds old.
NEWSMON_STORE_MAX_WAIT = 5.0
# The archive a crawl writes to (set from --db).
NEWSMON_DB_PATH = "data/archive.db"

# --- newsmon: the archive's health ------------------------------------------------------------
# Commands and crawls run SQLite's quick_check on an archive up to this size before using it
# (measured: 0.15 s for 175 MB once cached), so that a damaged one is named as such rather
# than read as if sound. Larger archives are checked by `newsmon check`, and damage met on
# the way still stops a command with one line.
NEWSMON_ARCHIVE_CHECK_MAX_MB = 512

# Values a watch file's [crawl] table may set, with the Scrapy/newsmon setting each maps to.
WATCH_OVERRIDABLE = {
    "download_delay": "DOWNLOAD_DELAY",
    "concurrent_requests_per_domain": "CONCURRENT_REQUESTS_PER_DOMAIN",
    "autothrottle": "AUTOTHROTTLE_ENABLED",
    "autothrottle_start_delay": "AUTOTHROTTLE_START_DELAY",
    "download_timeout": "DOWNLOAD_TIMEOUT",
    "max_articles_per_outlet": "NEWSMON_MAX_ARTICLES_PER_OUTLET",
    "source_link_depth": "NEWSMON_SOURCE_LINK_DEPTH",
    "allow_private_addresses": "NEWSMON_ALLOW_PRIVATE_ADDRESSES",
    "private_hosts": "NEWSMON_PRIVATE_HOSTS",
    "download_maxsize": "DOWNLOAD_MAXSIZE",
    "retry_times": "RETRY_TIMES",
    "retry_after_max": "NEWSMON_RETRY_AFTER_MAX",
    "search": "NEWSMON_SEARCH",
    "search_days_before": "NEWSMON_SEARCH_DAYS_BEFORE",
    "search_days_after": "NEWSMON_SEARCH_DAYS_AFTER",
    "gdelt_url": "NEWSMON_GDELT_URL",
    "gdelt_window_days": "NEWSMON_GDELT_WINDOW_DAYS",
    "google_news_url": "NEWSMON_GOOGLE_NEWS_URL",
    "wayback_cdx_url": "NEWSMON_WAYBACK_CDX_URL",
    "wayback_url": "NEWSMON_WAYBACK_URL",
    "gdelt_delay": "NEWSMON_GDELT_DELAY",
    "google_news_delay": "NEWSMON_GOOGLE_NEWS_DELAY",
    "wayback_delay": "NEWSMON_WAYBACK_DELAY",
    "follow_depth": "NEWSMON_FOLLOW_DEPTH",
    "follow_links_per_page": "NEWSMON_FOLLOW_LINKS_PER_PAGE",
    "redis": "NEWSMON_REDIS_URL",
    "redis_seen_ttl": "NEWSMON_REDIS_SEEN_TTL",
    "redis_idle": "NEWSMON_REDIS_IDLE",
    "redis_heartbeat": "NEWSMON_REDIS_HEARTBEAT",
    "redis_outage_wait": "NEWSMON_REDIS_OUTAGE_WAIT",
    "redis_shared_politeness": "NEWSMON_REDIS_SHARED_POLITENESS",
    "keep_unrelated": "NEWSMON_KEEP_UNRELATED",
    "recheck_ladder": "NEWSMON_RECHECK_LADDER",
    "store_batch_size": "NEWSMON_STORE_BATCH_SIZE",
    "concurrent_requests": "CONCURRENT_REQUESTS",
    "workers": "NEWSMON_WORKERS",
    "page_time_limit": "NEWSMON_PAGE_TIME_LIMIT",
    "worker_max_pages": "NEWSMON_WORKER_MAX_PAGES",
    "user_agent": "USER_AGENT",
}
