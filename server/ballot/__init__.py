"""The verifiable secret ballot on the server: the REST flow over
``shared.ballot``, its tables, and the live events that show it in the hall."""
