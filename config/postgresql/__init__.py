"""Django's PostgreSQL backend with a health check that costs no round trip.

`ENGINE = "config.postgresql"` (settings.py sets it for a postgres:// DATABASE_URL).
"""
