"""Discussion services: access (who may read, write and moderate where), posting, moderation, direct messages."""
