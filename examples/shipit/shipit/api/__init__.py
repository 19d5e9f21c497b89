"""The wire types of the shipit API."""
