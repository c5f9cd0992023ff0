"""Det goda mötet: data, store, notebooks and book for the living SOU 2018:47 report."""
