"""The Scrapy project that fetches each link once and judges the response (see `verdict`)."""
