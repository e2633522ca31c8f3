"""Geography (TERYT) and institutions."""
