"""Request and response shapes of the API, apart from the tables."""
