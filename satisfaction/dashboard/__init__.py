"""Officers' pages, exports and the JSON API over the scores."""
