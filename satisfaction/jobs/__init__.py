"""Long work off the request: jobs on RQ with Redis, or in a thread of the app without it."""
