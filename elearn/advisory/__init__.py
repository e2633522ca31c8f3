"""Advisory (doradztwo): institutions ask ROPS advisors for advice; cases, threads, meetings, answer templates."""
