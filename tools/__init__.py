"""Tools beside the package, not installed with it: the bench and the corpus generators the tests use."""
