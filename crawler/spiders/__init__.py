"""Discovery: parsers for feeds, sitemaps and source pages, and the spider that uses them."""
