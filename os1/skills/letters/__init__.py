"""Letters: the user's letters kept and searched, proofread change by change, gathered into a book."""
