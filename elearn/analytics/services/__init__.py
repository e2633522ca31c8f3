"""Analytics services: they read other domains through those domains' services and never write."""
