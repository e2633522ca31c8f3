"""Discussion: course and lesson discussions, topic forums, moderation, and direct messages between users."""
