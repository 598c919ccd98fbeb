"""Web-archive formats for preserved sources: WARC records of each fetch, WACZ packages of a fact-check's."""
