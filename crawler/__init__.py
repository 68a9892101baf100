"""What to fetch: newsmon's Scrapy project (watch file, spiders, middlewares, settings)."""
