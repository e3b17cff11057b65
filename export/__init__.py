"""Document → sanitised HTML → weasyprint layout → PDF, plus page counting, copies and speaking notes.

No Qt here. ``import weasyprint`` is deferred to the functions that render, so CLI paths that only
check structure or tone stay fast.
"""
