// Review panel front end (being written).
