"""Classified comments: storing them, listing, counting, exporting, reading and correcting them,
a module for each; what a comment, a filter and a query are lives in `shared.comments.types`."""
